import Testing

@testable import QuotaCore

@Suite("Identifiers")
struct IdentifierTests {
    static let controls: [String] = [
        "\u{0}", "\u{1}", "\n", "\t", "\r", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}",
    ]

    /// Each identifier type with its byte bound, built through its public initializer.
    static let kinds: [(name: String, maximumBytes: Int, make: @Sendable (String) throws -> String)] = [
        ("tenant", TenantID.maximumBytes, { try TenantID($0).rawValue }),
        ("metric", MetricCode.maximumBytes, { try MetricCode($0).rawValue }),
        ("idempotency key", IdempotencyKey.maximumBytes, { try IdempotencyKey($0).rawValue }),
    ]

    @Test(
        "equality compares every UTF-8 byte, in words and in the tail",
        arguments: [1, 7, 8, 9, 15, 16, 17, 31, 64, 128]
    )
    func byteEquality(length: Int) {
        let base = String(repeating: "a", count: length)
        #expect(Identifier.equal(base, String(repeating: "a", count: length)))
        for position in 0..<length {
            var bytes = Array(base.utf8)
            bytes[position] = UInt8(ascii: "b")
            #expect(!Identifier.equal(base, String(decoding: bytes, as: UTF8.self)))
        }
        #expect(!Identifier.equal(base, base + "a"))
    }

    @Test("equality is by bytes: precomposed and decomposed spellings differ")
    func canonicalEquivalentsDiffer() throws {
        let precomposed = "caf\u{E9}-tenant-with-a-long-id"
        let decomposed = "cafe\u{301}-tenant-with-a-long-id"
        #expect(precomposed == decomposed)
        #expect(!Identifier.equal(precomposed, decomposed))
        #expect(try TenantID(precomposed) != TenantID(decomposed))
        #expect(try TenantID(precomposed) == TenantID("caf\u{E9}-tenant-with-a-long-id"))
    }

    @Test("bounds are 128, 128 and 255 bytes")
    func bounds() {
        #expect(TenantID.maximumBytes == 128)
        #expect(MetricCode.maximumBytes == 128)
        #expect(IdempotencyKey.maximumBytes == 255)
    }

    @Test("an empty identifier is refused", arguments: 0..<3)
    func empty(kind: Int) {
        expectQuotaError(.invalidArgument) { try Self.kinds[kind].make("") }
    }

    @Test("the bound counts UTF-8 bytes: exactly the bound is accepted, one byte more is refused", arguments: 0..<3)
    func byteBound(kind: Int) throws {
        let (_, bound, make) = Self.kinds[kind]
        // Three-byte characters: bound / 3 of them, padded with ASCII to exactly `bound` bytes.
        let exact = String(repeating: "€", count: bound / 3) + String(repeating: "a", count: bound % 3)
        #expect(exact.utf8.count == bound)
        #expect(try make(exact) == exact)
        #expect(try make(String(repeating: "a", count: bound)).utf8.count == bound)
        expectQuotaError(.invalidArgument) { try make(exact + "a") }
        expectQuotaError(.invalidArgument) { try make(String(repeating: "a", count: bound + 1)) }
        // Over the bound in bytes while well under it in characters.
        let multiByte = String(repeating: "€", count: bound / 3 + 1)
        #expect(multiByte.count < bound)
        expectQuotaError(.invalidArgument) { try make(multiByte) }
    }

    @Test("43 × € is 129 bytes and refused as a tenant id and a metric code")
    func fortyThreeEuros() {
        let value = String(repeating: "€", count: 43)
        #expect(value.utf8.count == 129)
        expectQuotaError(.invalidArgument) { try TenantID(value) }
        expectQuotaError(.invalidArgument) { try MetricCode(value) }
        #expect(throws: Never.self) { try IdempotencyKey(value) }
    }

    @Test("control characters are refused anywhere in the identifier", arguments: controls)
    func controlCharacters(character: String) {
        for kind in Self.kinds {
            for value in [character, "a\(character)", "\(character)b", "a\(character)b"] {
                expectQuotaError(.invalidArgument) { try kind.make(value) }
            }
        }
    }

    @Test(
        "printable Unicode, spaces and punctuation are accepted",
        arguments: [
            "acme", "api_calls", "tenant-42", "a b", "ümlaut", "日本", "🚀", "\u{A0}", "\u{200B}", "a/b:c.d",
        ]
    )
    func accepted(value: String) throws {
        for kind in Self.kinds { #expect(try kind.make(value) == value) }
    }

    @Test("the error names the field and the offending character")
    func messages() {
        do {
            _ = try TenantID("a\u{7}")
            Issue.record("expected an error")
        } catch let error as QuotaError {
            #expect(error.message.contains("tenant id"))
            #expect(error.message.contains("U+0007"))
        } catch {
            Issue.record("\(error)")
        }
        do {
            _ = try MetricCode(String(repeating: "x", count: 200))
            Issue.record("expected an error")
        } catch let error as QuotaError {
            #expect(error.message.contains("metric"))
            #expect(error.message.contains("200"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("identifiers compare by their raw value")
    func ordering() throws {
        #expect(try TenantID("a") < TenantID("b"))
        #expect(try MetricCode("api_calls") < MetricCode("products"))
        #expect(try TenantID("x") == TenantID("x"))
        #expect(try TenantID("x").description == "x")
    }
}

@Suite("Identifiers compare by UTF-8 bytes")
struct IdentifierByteEqualityTests {
    @Test("two spellings of é are two tenants, as storage and the ring see them")
    func canonicalEquivalentsDiffer() throws {
        let precomposed = try TenantID("caf\u{E9}")
        let decomposed = try TenantID("cafe\u{301}")
        #expect(precomposed != decomposed)
        #expect(Set([precomposed, decomposed]).count == 2)
        #expect(try MetricCode("\u{E9}") != MetricCode("e\u{301}"))
        #expect(try IdempotencyKey("\u{E9}") != IdempotencyKey("e\u{301}"))
    }

    @Test("order is byte order (SQLite's BINARY collation)")
    func byteOrder() throws {
        #expect(try TenantID("Z") < TenantID("a"))
        #expect(try TenantID("a") < TenantID("\u{E9}"))
        #expect(try MetricCode("e\u{301}") < MetricCode("\u{E9}"))
    }

    @Test("the byte scan finds the control character a scan of Unicode scalars finds, over random strings")
    func controlScanMatchesTheScalarScan() {
        // Scalars around every boundary: C0, DEL, C1, the rest of 0xC2's range, and two-, three- and four-byte ones.
        let pool: [UInt32] = [
            0x00, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0x85, 0x9F, 0xA0, 0xBF, 0xC0, 0xE9, 0x142, 0x7FF, 0x800,
            0x20AC, 0xFFFD, 0x1_0000, 0x1_F680, 0x10_FFFF,
        ]
        for seed in UInt64(1)...500 {
            var random = SplitMix64(seed: seed)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % 12) {
                scalars.append(Unicode.Scalar(pool[Int(random.next() % UInt64(pool.count))])!)
            }
            let value = String(scalars)
            let expected = value.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
            let found = Identifier.firstControlCharacter(in: value)
            #expect(found == expected?.value, "seed \(seed): \(Array(value.utf8))")
        }
    }
}
