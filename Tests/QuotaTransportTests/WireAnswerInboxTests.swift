import QuotaWire
import Testing

@testable import QuotaTransport

@Suite("Answers made off the event loop are gathered per burst")
struct WireAnswerInboxTests {
    static func answer(_ id: UInt64) -> WireResponse {
        WireResponse(requestID: id, body: .error(code: "unavailable", message: "\(id)"))
    }

    @Test("only the first answer of a burst asks for a drain, and a drain takes them all in order")
    func oneDrainPerBurst() {
        let inbox = WireAnswerInbox()
        #expect(inbox.add(Self.answer(1)))
        #expect(!inbox.add(Self.answer(2)))
        #expect(!inbox.add(Self.answer(3)))
        #expect(inbox.take().map(\.requestID) == [1, 2, 3])
        #expect(inbox.take().isEmpty)
        #expect(inbox.add(Self.answer(4)))
        #expect(inbox.take().map(\.requestID) == [4])
    }
}
