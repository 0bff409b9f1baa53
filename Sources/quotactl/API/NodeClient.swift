import Foundation
import NIOCore
import NIOHTTP1
import QuotaJSON

/// The quotad HTTP/JSON API as quotactl uses it.
///
/// Builds percent-encoded request targets, sends them with ``HTTPClient``, and turns every failure into a
/// ``QuotactlError``: transport failures name the node's URL, and error answers become `code: message`.
struct NodeClient: Sendable {
    let node: NodeURL
    let timeoutSeconds: Double
    private let http: HTTPClient

    init(node: NodeURL, timeoutSeconds: Double) {
        self.node = node
        self.timeoutSeconds = timeoutSeconds
        self.http = HTTPClient(node: node, timeout: .nanoseconds(Int64(timeoutSeconds * 1_000_000_000)))
    }

    /// Sends a request and returns the response when its status is 2xx or listed in `alsoAccepted`.
    ///
    /// - Parameters:
    ///   - segments: the path segments after the node's base path, unencoded (`["v1", "tenants", tenant]`).
    ///   - query: query items, unencoded; the caller leaves out the ones it has no value for.
    ///   - body: a JSON body, sent with `Content-Type: application/json`.
    ///   - alsoAccepted: non-2xx statuses that carry a normal answer, such as 429 for a denied consume.
    /// - Throws: ``QuotactlError``.
    func send(
        _ method: HTTPMethod,
        _ segments: [String],
        query: [(name: String, value: String)] = [],
        body: JSONValue? = nil,
        alsoAccepted: [HTTPResponseStatus] = []
    ) async throws -> HTTPResponse {
        let target = PercentEncoding.target(basePath: self.node.basePath, segments: segments, query: query)
        let request = HTTPRequest(method: method, target: target, body: try body?.encoded())
        let response: HTTPResponse
        do {
            response = try await self.http.execute(request)
        } catch let error as HTTPClientError {
            throw self.translate(error)
        }
        if (200..<300).contains(response.status.code) || alsoAccepted.contains(response.status) {
            return response
        }
        throw self.errorAnswer(response)
    }

    /// Decodes a response body into one of the API's answer types.
    func decode<Answer: Decodable>(_ type: Answer.Type, from response: HTTPResponse) throws -> Answer {
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(response.body))
        } catch let error as DecodingError {
            throw QuotactlError.unexpectedResponse(
                node: self.node,
                detail: "HTTP \(response.status.code) body \(Self.describe(error))"
            )
        }
    }

    /// The response body as a JSON value, for `--json` output.
    func json(of response: HTTPResponse) throws -> JSONValue {
        try self.decode(JSONValue.self, from: response)
    }

    /// Prints a response: the raw JSON when `json` is set, else the lines `human` renders from the decoded answer.
    func present<Answer: Decodable>(
        _ response: HTTPResponse,
        as type: Answer.Type,
        json: Bool,
        human: (Answer) throws -> [String]
    ) throws {
        if json {
            try Terminal.printJSON(self.json(of: response))
        } else {
            Terminal.print(try human(try self.decode(type, from: response)))
        }
    }

    /// The error an answer with a non-accepted status stands for.
    private func errorAnswer(_ response: HTTPResponse) -> QuotactlError {
        if let answer = try? self.decode(ErrorAnswer.self, from: response) {
            return .api(code: answer.error.code, message: answer.error.message)
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let status = "HTTP \(response.status.code) \(response.status.reasonPhrase)"
        return .unexpectedResponse(node: self.node, detail: text.isEmpty ? status : "\(status): \(text)")
    }

    private func translate(_ error: HTTPClientError) -> QuotactlError {
        switch error {
        case .connectFailed(let reason):
            return .unreachable(node: self.node, reason: reason)
        case .timedOut:
            return .timedOut(node: self.node, seconds: self.timeoutSeconds)
        case .connectionClosed:
            return .unexpectedResponse(node: self.node, detail: "connection closed before the response was complete")
        case .responseTooLarge(let limitBytes):
            return .unexpectedResponse(node: self.node, detail: "response larger than \(limitBytes) bytes")
        case .protocolError(let reason):
            return .unexpectedResponse(node: self.node, detail: reason)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "lacks field '\(path(context, key))'"
        case .valueNotFound(_, let context):
            return "has null for '\(path(context))'"
        case .typeMismatch(_, let context):
            return "has the wrong type for '\(path(context))'"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "is not valid JSON" : "has a bad value for '\(path(context))'"
        @unknown default:
            return "could not be read: \(error)"
        }
    }
}

/// The API's error body, `{"error": {"code": …, "message": …}}`.
private struct ErrorAnswer: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
    }

    var error: Detail
}
