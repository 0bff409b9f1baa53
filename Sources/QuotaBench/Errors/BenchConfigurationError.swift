/// Why the command line does not describe a run `quota-bench` can make; nothing was sent.
public enum BenchConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `--host` names a machine other than this one; carries the host given.
    case nonLoopbackHost(String)
    /// `--mix` cannot be parsed; carries the text given and what is wrong with it.
    case invalidMix(String, String)
    /// The mix asks for status in RESP mode, where there is no status to read.
    case statusNotSupportedInRESP
    /// `--port` is not a list of distinct ports; carries the text given and what is wrong with it.
    case invalidPorts(String, String)
    /// An option's value is outside what it accepts; carries the option, the value and the accepted range.
    case outOfRange(option: String, value: String, accepted: String)
    /// An option was given where it has no meaning; carries the option and why.
    case notApplicable(option: String, reason: String)

    /// A sentence that says what was wrong and how to fix it.
    public var description: String {
        switch self {
        case .nonLoopbackHost(let host):
            "--host '\(host)' is not a loopback address; quota-bench only targets this machine "
                + "(127.0.0.0/8, ::1 or localhost)"
        case .invalidMix(let text, let reason):
            "--mix '\(text)': \(reason)"
        case .statusNotSupportedInRESP:
            "--mix: status is not supported with --protocol resp (Redis keeps no per-tenant status); "
                + "use consume and check only, for example consume=90,check=10"
        case .invalidPorts(let text, let reason):
            "--port '\(text)': \(reason)"
        case .outOfRange(let option, let value, let accepted):
            "\(option) \(value) is out of range: \(accepted)"
        case .notApplicable(let option, let reason):
            "\(option) does not apply here: \(reason)"
        }
    }
}
