import Foundation
import QuotaJSON

/// Where quotactl writes: human text and JSON to standard output, errors to standard error.
enum Terminal {
    /// Prints each line to standard output.
    static func print(_ lines: [String]) {
        for line in lines {
            Swift.print(line)
        }
    }

    /// Prints one line to standard error, after flushing what is buffered for standard output, so that the two
    /// streams keep their order when both go to the same file or pipe.
    static func printError(_ line: String) {
        fflush(nil)
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints a JSON value pretty-printed, with sorted keys, to standard output.
    static func printJSON(_ value: JSONValue) throws {
        Swift.print(String(decoding: try value.encoded(pretty: true), as: UTF8.self))
    }
}
