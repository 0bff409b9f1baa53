import ArgumentParser

/// A `quotad` setting's value and where it came from — its flag, its `QUOTAD_*` environment variable, or the
/// built-in default — so that a message about the value names what the operator actually wrote.
struct Setting<Value: ExpressibleByArgument & Sendable>: Sendable {
    /// Where a value came from.
    enum Source: Equatable, Sendable {
        /// The command line.
        case flag
        /// The environment variable; carries the variable's text.
        case environment(String)
        /// Neither: the built-in default.
        case builtIn
    }

    /// The value in effect.
    let value: Value
    /// The flag, e.g. `--http-port`.
    let flag: String
    /// The environment variable, e.g. `QUOTAD_HTTP_PORT`.
    let variable: String
    /// Where ``value`` came from.
    let source: Source

    /// The flag's value when it was given, else the variable's when it is set and parses, else `builtIn`. A set
    /// variable that does not parse is refused by ``Environment/check(_:as:)`` before the setting is used.
    init(flag: String, variable: String, given: Value?, builtIn: Value) {
        self =
            Setting(flag: flag, variable: variable, given: given)
            ?? Setting(value: builtIn, flag: flag, variable: variable, source: .builtIn)
    }

    /// The flag's value when it was given, else the variable's when it is set and parses; `nil` when neither is
    /// (for a setting without a default).
    init?(flag: String, variable: String, given: Value?) {
        if let given {
            self.init(value: given, flag: flag, variable: variable, source: .flag)
        } else if let text = Environment.string(variable), let value = Value(argument: text) {
            self.init(value: value, flag: flag, variable: variable, source: .environment(text))
        } else {
            return nil
        }
    }

    private init(value: Value, flag: String, variable: String, source: Source) {
        self.value = value
        self.flag = flag
        self.variable = variable
        self.source = source
    }

    /// What set the value: the variable when it came from the environment, else the flag.
    var name: String {
        if case .environment = self.source { return self.variable }
        return self.flag
    }

    /// The setting as the operator wrote it: `--http-port 70000`, `QUOTAD_HTTP_PORT=70000`, or
    /// `--http-port 8080 by default`.
    var origin: String {
        switch self.source {
        case .flag: "\(self.flag) \(self.value)"
        case .environment(let text): "\(self.variable)=\(text)"
        case .builtIn: "\(self.flag) \(self.value) by default"
        }
    }

    /// A refusal of the value at start: `<origin>: <problem>`, e.g. `QUOTAD_HTTP_PORT=70000: must be between 0 and
    /// 65535 (0: any free port)`.
    func refusal(_ problem: String) -> ValidationError { ValidationError("\(self.origin): \(problem)") }
}
