import EGovCore
import Fluent
import ConsoleKit
import Vapor

/// `egov pki init | issue <username> | seal <agency code> | list`: the development CA, signers'
/// certificates and agencies' seal certificates.
struct PKICommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["init": PKIInitCommand(), "issue": PKIIssueCommand(), "seal": PKISealCommand(), "list": PKIListCommand()]
    }
    var help: String { "Development CA and signing certificates." }
}

struct PKIInitCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @ConsoleKit.Option(name: "organization", help: "The CA's organisation name.")
        var organization: String?
    }
    var help: String { "Creates the node's development CA under <data>/pki (kept if it exists)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let keystore = context.application.egovServices.signingKeystore
        let ca = try keystore.ensureCertificateAuthority(organization: signature.organization ?? "EGov", now: context.application.now)
        let details = ca.details
        context.console.print("development CA: \(details.commonName) (\(details.organization ?? "")), serial \(details.serialNumberHex)")
        context.console.print("valid until \(details.notValidAfter.vietnamTimestamp); certificate at \(keystore.caCertificatePath)")
    }
}

struct PKIIssueCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "username", help: "The civil servant who will sign.")
        var username: String
        @ConsoleKit.Option(name: "days", help: "Validity in days (default 730).")
        var days: Int?
    }
    var help: String { "Issues a signing certificate and key for a user from the development CA." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let user = try await User.query(on: app.db).filter(\.$username == signature.username).with(\.$agency).with(\.$unit).first() else {
            throw AuditVerifyCommand.Broken(description: "no user named \(signature.username)")
        }
        let days = signature.days ?? 730
        guard (1...3650).contains(days) else { throw AuditVerifyCommand.Broken(description: "days must be between 1 and 3650") }
        let record = try await app.egovServices.auditLog.transaction(on: app.db, context: .system) { db, trail in
            let record = try await SigningCertificates.issue(for: user, agencyName: user.agency.name, unitName: user.unit.name,
                                                             keystore: app.egovServices.signingKeystore, now: app.now, validityDays: days, on: db)
            trail.record("pki.issue", objectType: "user", objectID: user.id?.uuidString, details: "serial \(record.serialHex)")
            return record
        }
        context.console.print("issued certificate \(record.serialHex) to \(user.username) (\(user.fullName)), valid until \(record.notAfter.vietnamTimestamp)")
    }
}

struct PKISealCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "agency", help: "The agency's identifier code, e.g. 000.00.00.H49.")
        var agency: String
        @ConsoleKit.Option(name: "days", help: "Validity in days (default 1825).")
        var days: Int?
    }
    var help: String { "Issues the agency's seal certificate (chữ ký số của cơ quan) from the development CA." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let agency = try await Agency.query(on: app.db).filter(\.$code == signature.agency).first() else {
            throw AuditVerifyCommand.Broken(description: "no agency with code \(signature.agency)")
        }
        let days = signature.days ?? 1825
        guard (1...3650).contains(days) else { throw AuditVerifyCommand.Broken(description: "days must be between 1 and 3650") }
        let record = try await app.egovServices.auditLog.transaction(on: app.db, context: .system) { db, trail in
            let record = try await AgencySeals.issue(for: agency, keystore: app.egovServices.signingKeystore, now: app.now, validityDays: days, on: db)
            trail.record("pki.seal", objectType: "agency", objectID: agency.id?.uuidString, details: "serial \(record.serialHex)")
            return record
        }
        context.console.print("issued seal certificate \(record.serialHex) to \(agency.code) (\(agency.name)), valid until \(record.notAfter.vietnamTimestamp)")
    }
}

struct PKIListCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Lists signing certificates." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let records = try await SigningIdentityRecord.query(on: db).sort(\.$createdAt).all()
        let users = try await User.query(on: db).all()
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0.username) })
        for record in records {
            context.console.print("\(record.serialHex) \(names[record.userID] ?? "?") until \(record.notAfter.vietnamTimestamp)\(record.isActive ? "" : " (replaced)")")
        }
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { ($0.id!, $0.code) })
        for seal in try await AgencySealRecord.query(on: db).sort(\.$createdAt).all() {
            context.console.print("\(seal.serialHex) seal \(agencies[seal.agencyID] ?? "?") until \(seal.notAfter.vietnamTimestamp)\(seal.isActive ? "" : " (replaced)")")
        }
    }
}
