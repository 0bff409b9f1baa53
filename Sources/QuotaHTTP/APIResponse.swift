import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import QuotaCore
import QuotaJSON
import QuotaNode

/// Building JSON responses and reading request pieces, shared by the route groups.
enum APIResponse {
    /// The largest request body accepted, in bytes (64 KiB).
    static let maximumBodyBytes = 64 * 1024

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        let bytes = (try? self.encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ error: QuotaError) -> Response {
        self.json(JSONBody.error(error), status: self.status(of: error.code))
    }

    static func status(of code: QuotaError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalidArgument: .badRequest
        case .quotaNotFound: .notFound
        case .idempotencyConflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unavailable: .serviceUnavailable
        default: .internalServerError
        }
    }

    /// The request body, at most ``maximumBodyBytes``.
    ///
    /// - Throws: ``QuotaError/Code/payloadTooLarge`` for a larger body.
    static func body(of request: Request) async throws -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: self.maximumBodyBytes)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw QuotaError(.payloadTooLarge, "the request body is over \(self.maximumBodyBytes) bytes")
        }
    }

    /// A path parameter, percent-decoded.
    static func parameter(_ name: String, of context: some RequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw QuotaError.invalidArgument("the \(name) in the path is not valid percent-encoding")
        }
        return decoded
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// Turns every error into the API's JSON error shape `{"error": {"code": …, "message": …}}`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as QuotaError {
            return APIResponse.error(error)
        } catch let error as HTTPError {
            let code =
                error.status == .notFound
                ? "not_found" : (error.status == .contentTooLarge ? "payload_too_large" : "invalid_argument")
            let body = JSONValue.object([
                "error": .object([
                    "code": .string(code), "message": .string(error.body ?? error.status.reasonPhrase),
                ])
            ])
            return APIResponse.json(body, status: error.status)
        } catch is NIOTooManyBytesError {
            return APIResponse.error(QuotaError(.payloadTooLarge, "the request body is too large"))
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return APIResponse.error(QuotaError(.internalError, "internal error"))
        }
    }
}
