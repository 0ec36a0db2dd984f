import EGovCore
import Fluent
import Vapor

enum DossierQueries {
    /// The receiving agency's people, and the people of every agency the route has reached.
    static func mayView(_ dossier: Dossier, actor: Actor, on db: Database) async throws -> Bool {
        if actor.agencyID == dossier.$agency.id || actor.agencyID == dossier.holderAgencyID { return true }
        return try await DossierEvent.query(on: db).filter(\.$dossier.$id == dossier.id!).filter(\.$toAgencyID == actor.agencyID).first() != nil
    }

    /// A dossier an officer may see; anything else is "not found".
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> Dossier {
        guard let dossier = try await Dossier.find(id, on: db), try await mayView(dossier, actor: actor, on: db) else {
            throw EGovError.notFound("Không tìm thấy hồ sơ.")
        }
        return dossier
    }

    /// The applicant's own dossier; another's is "not found".
    static func own(_ id: UUID, applicant: PortalApplicant, on db: Database) async throws -> Dossier {
        guard let dossier = try await Dossier.query(on: db).filter(\.$id == id).filter(\.$applicantID == applicant.id).first() else {
            throw EGovError.notFound("Không tìm thấy hồ sơ.")
        }
        return dossier
    }

    /// The dossiers waiting for this person's move, oldest step first: at the one-stop office of
    /// their agency (clerks and leaders), or held by their unit — or by their agency with no
    /// unit named, for its clerks and leaders. `total` counts them all; `items` is the first `limit`.
    static func waiting(for actor: Actor, limit: Int = 50, on db: Database) async throws -> (items: [Dossier], total: Int) {
        let query = waitingQuery(for: actor, on: db)
        let total = try await query.copy().count()
        let items = try await query.with(\.$procedure).sort(\.$stepDueDate).sort(\.$submittedAt).limit(limit).all()
        return (items, total)
    }

    /// How many dossiers wait for this person (the home page's count).
    static func waitingCount(for actor: Actor, on db: Database) async throws -> Int {
        try await waitingQuery(for: actor, on: db).count()
    }

    private static func waitingQuery(for actor: Actor, on db: Database) -> QueryBuilder<Dossier> {
        let oneStop = DossierPermissions.mayEnterAtCounter(actor)
        return Dossier.query(on: db).group(.or) { any in
            if oneStop {
                any.group(.and) {
                    $0.owned(by: actor).filter(\.$status ~~ DossierWorkflow.waitingAtOneStop.map(\.rawValue))
                }
                any.group(.and) {
                    $0.filter(\.$holderAgencyID == actor.agencyID).filter(\.$holderUnitID == nil)
                        .filter(\.$status ~~ DossierWorkflow.waitingWithHolder.map(\.rawValue))
                }
            }
            any.group(.and) {
                $0.filter(\.$holderAgencyID == actor.agencyID).filter(\.$holderUnitID == actor.unitID)
                    .filter(\.$status ~~ DossierWorkflow.waitingWithHolder.map(\.rawValue))
            }
        }
    }

    /// The desk: what the agency received or holds now, by status, newest first.
    static func desk(actor: Actor, status: DossierStatus?, page: Int, on db: Database) async throws -> (items: [Dossier], total: Int) {
        let query = Dossier.query(on: db).group(.or) {
            $0.owned(by: actor).filter(\.$holderAgencyID == actor.agencyID)
        }
        if let status { query.filter(\.$status == status.rawValue) }
        let total = try await query.copy().count()
        let items = try await query.with(\.$procedure).sort(\.$submittedAt, .descending).sort(\.$code, .descending)
            .range((page - 1) * 50..<(page * 50)).all()
        return (items, total)
    }

    static func mine(applicant: PortalApplicant, on db: Database) async throws -> [Dossier] {
        try await Dossier.query(on: db).filter(\.$applicantID == applicant.id).with(\.$procedure).sort(\.$submittedAt, .descending).limit(500).all()
    }
}
