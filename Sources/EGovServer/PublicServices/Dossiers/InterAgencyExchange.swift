import EGovCore
import Fluent
import Vapor

/// Hands a dossier to another agency on its route. Today both agencies live on this node, so
/// the hand-over is a change of holder; the exchange hub will deliver it as an edXML package to
/// a remote node behind the same interface.
protocol InterAgencyExchange: Sendable {
    /// The receiving agency's id on this node, once the dossier is delivered to it.
    func deliver(dossierCode: String, toAgencyCode: String, on db: Database) async throws -> UUID
}

struct SameNodeExchange: InterAgencyExchange {
    func deliver(dossierCode: String, toAgencyCode: String, on db: Database) async throws -> UUID {
        guard let agency = try await Agency.query(on: db).filter(\.$code == toAgencyCode).first(), agency.isActive else {
            throw EGovError.conflict("Cơ quan phối hợp mã \(toAgencyCode) không còn trong danh bạ; không chuyển được hồ sơ \(dossierCode).",
                                     code: "exchange_unreachable")
        }
        return agency.id!
    }
}

