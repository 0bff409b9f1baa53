/// The date on which a monthly or yearly billing cycle begins, at local midnight.
///
/// A monthly anchor has only a ``day`` (1…31); a yearly anchor has a ``month`` (1…12) and a ``day``.
/// When the anchor day does not exist in a month, the cycle starts on that month's last day instead:
/// a monthly anchor on the 31st starts cycles on January 31, February 28 (29 in leap years),
/// March 31, April 30, …; a yearly anchor on February 29 starts on February 28 in non-leap years.
public struct BillingAnchor: Hashable, Sendable {
    /// The month of a yearly anchor, 1…12; `nil` for a monthly anchor.
    public let month: Int?
    /// The day of the month, 1…31.
    public let day: Int

    /// Creates an anchor.
    ///
    /// - Parameters:
    ///   - day: The day of the month, 1…31.
    ///   - month: The month for a yearly anchor, 1…12; `nil` (the default) for a monthly anchor.
    /// - Throws: ``QuotaError`` with code ``QuotaError/Code/invalidArgument`` when `day` is outside 1…31,
    ///   `month` is outside 1…12, or the date exists in no year (for example April 31 or February 30).
    ///   February 29 is accepted.
    public init(day: Int, month: Int? = nil) throws {
        guard (1...31).contains(day) else {
            throw QuotaError.invalidArgument("anchor day must be 1…31, got \(day)")
        }
        if let month {
            guard (1...12).contains(month) else {
                throw QuotaError.invalidArgument("anchor month must be 1…12, got \(month)")
            }
            // 2000 is a leap year, so this is the longest the month ever is.
            let longest = CivilDate.daysInMonth(year: 2000, month: month)
            guard day <= longest else {
                throw QuotaError.invalidArgument(
                    "anchor day \(day) does not exist in month \(month), which has at most \(longest) days"
                )
            }
        }
        self.month = month
        self.day = day
    }
}
