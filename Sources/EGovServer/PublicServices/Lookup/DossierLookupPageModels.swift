import EGovCore
import Vapor

struct LookupPage: Encodable {
    let shell: PortalShell
    let code: String
    let contact: String
    var searched: Bool
    var result: LookupView?
    var errors: [String: String]
    /// Not found, or too many look-ups.
    var message: String?
}

/// The look-up's answer with dates as people read them.
struct LookupView: Encodable {
    let code: String
    let procedureName: String
    let agencyName: String
    let status: Int
    let statusLabel: String
    let submittedAt: String
    let acceptedAt: String?
    let promisedDate: String?
    let apologyDate: String?
    let finishedAt: String?
    let resultReturnedAt: String?

    init(_ result: DossierLookup.Result) {
        func day(_ iso: String?) -> String? { iso.flatMap(LocalDate.init(iso:))?.vietnamese }
        code = result.code
        procedureName = result.procedureName
        agencyName = result.agencyName
        status = result.status
        statusLabel = result.statusLabel
        submittedAt = result.submittedAt.vietnamTimestamp
        acceptedAt = result.acceptedAt?.vietnamTimestamp
        promisedDate = day(result.promisedDate)
        apologyDate = day(result.apologyDate)
        finishedAt = result.finishedAt?.vietnamTimestamp
        resultReturnedAt = result.resultReturnedAt?.vietnamTimestamp
    }
}
