import EGovCore
import Fluent
import Vapor

/// Demo data for trying EGov out: the Government Office, two ministries, two provinces with
/// departments, units in each, and one user of each role per agency. Running it again adds
/// only what is missing. (The ministry and department codes are illustrative.)
enum DemoSeed {
    static let password = "EGov@2026demo"
    static let systemAdmin = (username: "admin", fullName: "Nguyễn Quản Trị")

    struct AgencySpec {
        let code: String
        let slug: String
        let name: String
        let address: String
        let units: [(code: String, name: String)]
    }

    static let agencies: [AgencySpec] = [
        AgencySpec(code: "000.00.00.G22", slug: "vpcp", name: "Văn phòng Chính phủ", address: "1 Hoàng Hoa Thám, Ba Đình, Hà Nội",
                   units: [("VP", "Văn phòng Bộ trưởng, Chủ nhiệm"), ("TCCB", "Vụ Tổ chức cán bộ"), ("HC", "Vụ Hành chính")]),
        AgencySpec(code: "000.00.00.G09", slug: "bnv", name: "Bộ Nội vụ", address: "8 Tôn Thất Thuyết, Cầu Giấy, Hà Nội",
                   units: [("VP", "Văn phòng Bộ"), ("TCBC", "Vụ Tổ chức - Biên chế"), ("CCHC", "Vụ Cải cách hành chính")]),
        AgencySpec(code: "000.00.00.G13", slug: "btp", name: "Bộ Tư pháp", address: "58-60 Trần Phú, Ba Đình, Hà Nội",
                   units: [("VP", "Văn phòng Bộ"), ("PLHS", "Vụ Pháp luật hình sự - hành chính")]),
        AgencySpec(code: "000.00.00.H49", slug: "quangninh", name: "Ủy ban nhân dân tỉnh Quảng Ninh", address: "Phường Hồng Hà, Hạ Long, Quảng Ninh",
                   units: [("VP", "Văn phòng UBND tỉnh"), ("TH", "Phòng Tổng hợp"), ("KSTT", "Phòng Kiểm soát thủ tục hành chính")]),
        AgencySpec(code: "000.00.01.H49", slug: "quangninh.snv", name: "Sở Nội vụ tỉnh Quảng Ninh", address: "Phường Hồng Hà, Hạ Long, Quảng Ninh",
                   units: [("VP", "Văn phòng Sở"), ("TCBC", "Phòng Tổ chức - Biên chế")]),
        AgencySpec(code: "000.00.00.H20", slug: "dongthap", name: "Ủy ban nhân dân tỉnh Đồng Tháp", address: "12 đường 30/4, Phường 1, Cao Lãnh, Đồng Tháp",
                   units: [("VP", "Văn phòng UBND tỉnh"), ("TH", "Phòng Tổng hợp")]),
        AgencySpec(code: "000.00.14.H20", slug: "dongthap.stttt", name: "Sở Thông tin và Truyền thông tỉnh Đồng Tháp", address: "Phường 1, Cao Lãnh, Đồng Tháp",
                   units: [("VP", "Văn phòng Sở"), ("CNTT", "Phòng Công nghệ thông tin")]),
    ]

    /// Role, username suffix, position, and a family of names to draw from.
    static let roleSpecs: [(role: Role, suffix: String, position: String)] = [
        (.agencyAdmin, "quantri", "Quản trị hệ thống của cơ quan"),
        (.leader, "lanhdao", "Lãnh đạo"),
        (.clerk, "vanthu", "Văn thư"),
        (.unitHead, "truongphong", "Trưởng phòng"),
        (.specialist, "chuyenvien", "Chuyên viên"),
    ]
    static let familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
    static let givenNames = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Hải", "Ngọc Lan", "Hữu Phước", "Thanh Tâm", "Kim Yến",
                             "Gia Huy", "Bảo Ngọc", "Xuân Trường", "Thị Hồng", "Văn Đông", "Mai Anh", "Tuấn Kiệt", "Phương Thảo",
                             "Quang Vinh", "Hải Yến", "Công Thành", "Diệu Linh", "Trọng Nghĩa", "Thùy Dung", "Anh Tú", "Hoài Thương",
                             "Đình Khoa", "Lệ Quyên"]

    /// Portal accounts: a citizen and a business, confirmed, signing in with e-mail or phone.
    static let applicants: [(kind: Applicant.Kind, fullName: String, email: String, phone: String, identityNumber: String)] = [
        (.citizen, "Trần Văn Công", "congdan@egov.local", "0912000001", "001090000001"),
        (.business, "Công ty TNHH Phần mềm Sen Vàng", "doanhnghiep@egov.local", "0912000002", "0101234567"),
    ]

    struct Login: Sendable {
        let username: String
        let fullName: String
        let agency: String
        let role: String
    }

    /// Seeds what is missing and returns every demo login.
    @discardableResult
    static func run(on app: Application) async throws -> [Login] {
        let hash = try app.password.hash(password) // once, shared by every demo account
        return try await app.egovServices.auditLog.transaction(on: app.db, context: .system) { db, trail in
            var logins: [Login] = []
            var nameIndex = 0
            for spec in agencies {
                let agency: Agency
                if let existing = try await Agency.query(on: db).filter(\.$code == spec.code).first() {
                    agency = existing
                } else {
                    agency = Agency(code: spec.code, name: spec.name, address: spec.address,
                                    email: "vanthu@\(spec.slug.replacingOccurrences(of: ".", with: "-")).gov.vn", phone: "024 3800 0000")
                    agency.parentCode = try AgencyCode(spec.code).parent?.rawValue
                    try await agency.create(on: db)
                    trail.record("demo.agency.create", objectType: "agency", objectID: agency.id?.uuidString, details: spec.code)
                }
                var units: [String: AgencyUnit] = [:]
                for unitSpec in spec.units {
                    if let existing = try await AgencyUnit.query(on: db).filter(\.$agency.$id == agency.id!).filter(\.$code == unitSpec.code).first() {
                        units[unitSpec.code] = existing
                    } else {
                        let unit = AgencyUnit(agencyID: agency.id!, code: unitSpec.code, name: unitSpec.name)
                        try await unit.create(on: db)
                        trail.record("demo.unit.create", objectType: "unit", objectID: unit.id?.uuidString, details: "\(spec.code) \(unitSpec.code)")
                        units[unitSpec.code] = unit
                    }
                }
                var people = roleSpecs.map { (role: $0.role, username: "\(spec.slug).\($0.suffix)", position: $0.position) }
                if spec.code == "000.00.00.G22" {
                    people.insert((role: .systemAdmin, username: systemAdmin.username, position: "Quản trị hệ thống"), at: 0)
                }
                for person in people {
                    let fullName = person.role == .systemAdmin ? systemAdmin.fullName
                        : "\(familyNames[nameIndex % familyNames.count]) \(givenNames[nameIndex % givenNames.count])"
                    if person.role != .systemAdmin { nameIndex += 1 }
                    logins.append(Login(username: person.username, fullName: fullName, agency: spec.name, role: person.role.displayName))
                    if try await User.query(on: db).filter(\.$username == person.username).first() != nil { continue }
                    // The unit head and the specialist sit in the second unit; everyone else in the office (VP).
                    let unit = [.specialist, .unitHead].contains(person.role) ? units[spec.units[1].code]! : units["VP"]!
                    let user = User(agencyID: agency.id!, unitID: unit.id!, username: person.username, fullName: fullName,
                                    position: person.position, email: "\(person.username)@demo.egov.vn", roles: [person.role], passwordHash: hash)
                    try await user.create(on: db)
                    trail.record("demo.user.create", objectType: "user", objectID: user.id?.uuidString, details: person.username)
                }
                // Leaders sign: give each a certificate from the node's development CA.
                for leader in try await User.query(on: db).filter(\.$agency.$id == agency.id!).all() where leader.roles.contains(.leader) {
                    if try await SigningIdentityRecord.query(on: db).filter(\.$userID == leader.id!).first() != nil { continue }
                    let record = try await SigningCertificates.issue(for: leader, agencyName: spec.name, unitName: units["VP"]?.name,
                                                                     keystore: app.egovServices.signingKeystore, now: app.now, on: db)
                    trail.record("demo.pki.issue", objectType: "user", objectID: leader.id?.uuidString, details: "serial \(record.serialHex)")
                }
                // Clerks seal what they issue with the agency's own certificate.
                if try await AgencySealRecord.query(on: db).filter(\.$agencyID == agency.id!).first() == nil {
                    let seal = try await AgencySeals.issue(for: agency, keystore: app.egovServices.signingKeystore, now: app.now, on: db)
                    trail.record("demo.pki.seal", objectType: "agency", objectID: agency.id?.uuidString, details: "serial \(seal.serialHex)")
                }
            }
            for spec in applicants {
                logins.append(Login(username: spec.email, fullName: spec.fullName, agency: "Cổng dịch vụ công (/portal/sign-in)",
                                    role: spec.kind == .citizen ? "Công dân" : "Doanh nghiệp"))
                if try await Applicant.query(on: db).filter(\.$email == spec.email).first() != nil { continue }
                let applicant = Applicant(kind: spec.kind, fullName: spec.fullName, email: spec.email, phone: spec.phone,
                                          identityNumber: spec.identityNumber, passwordHash: hash)
                applicant.confirmedAt = app.now
                try await applicant.create(on: db)
                trail.record("demo.applicant.create", objectType: "applicant", objectID: applicant.id?.uuidString, details: spec.email)
            }
            try await DemoCatalogue.seed(on: db, trail: trail)
            return logins
        }
    }
}
