import NIOCore

/// Writes RESP2 values and commands into a `ByteBuffer`.
public enum RESPEncoder {
    /// Appends `value` in RESP2.
    ///
    /// A simple string or error must not contain CR or LF (RESP2 cannot carry them there; use a bulk string).
    public static func encode(_ value: RESPValue, into buffer: inout ByteBuffer) {
        switch value {
        case .simpleString(let text):
            self.writeLine(prefix: UInt8(ascii: "+"), text, into: &buffer)
        case .error(let text):
            self.writeLine(prefix: UInt8(ascii: "-"), text, into: &buffer)
        case .integer(let number):
            self.writeLine(prefix: UInt8(ascii: ":"), String(number), into: &buffer)
        case .bulkString(nil):
            self.writeLine(prefix: UInt8(ascii: "$"), "-1", into: &buffer)
        case .bulkString(let bytes?):
            self.writeLine(prefix: UInt8(ascii: "$"), String(bytes.count), into: &buffer)
            buffer.writeBytes(bytes)
            buffer.writeStaticString("\r\n")
        case .array(nil):
            self.writeLine(prefix: UInt8(ascii: "*"), "-1", into: &buffer)
        case .array(let elements?):
            self.writeLine(prefix: UInt8(ascii: "*"), String(elements.count), into: &buffer)
            for element in elements { self.encode(element, into: &buffer) }
        }
    }

    /// Appends a command as Redis expects it: an array of bulk strings, for example `SET key value`.
    public static func encodeCommand(_ arguments: [String], into buffer: inout ByteBuffer) {
        self.writeLine(prefix: UInt8(ascii: "*"), String(arguments.count), into: &buffer)
        for argument in arguments {
            self.writeLine(prefix: UInt8(ascii: "$"), String(argument.utf8.count), into: &buffer)
            buffer.writeString(argument)
            buffer.writeStaticString("\r\n")
        }
    }

    private static func writeLine(prefix: UInt8, _ text: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(prefix)
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }
}
