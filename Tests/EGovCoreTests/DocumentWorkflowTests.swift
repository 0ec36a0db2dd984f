import EGovCore
import XCTest

final class DocumentWorkflowTests: XCTestCase {
    func test_incomingDocumentGoesFromRegistrationToDone() throws {
        var state = IncomingDocumentState.registered
        for (move, expected) in [(IncomingDocumentMove.present, IncomingDocumentState.presented), (.direct, .directed),
                                 (.assign, .assigned), (.recordProgress, .inProgress), (.recordProgress, .inProgress), (.finish, .done)] {
            state = try IncomingDocumentWorkflow.next(after: move, from: state)
            XCTAssertEqual(state, expected)
        }
        XCTAssertTrue(state.isFinal)
        XCTAssertEqual(IncomingDocumentWorkflow.legalMoves(from: .done), [])
    }

    func test_unregisteredMovesAreRefused() {
        XCTAssertThrowsError(try IncomingDocumentWorkflow.next(after: .direct, from: .registered)) { error in
            XCTAssertEqual(error as? IllegalMove, IllegalMove(move: "direct", state: "registered"))
        }
        XCTAssertThrowsError(try IncomingDocumentWorkflow.next(after: .assign, from: .presented))
        XCTAssertThrowsError(try IncomingDocumentWorkflow.next(after: .finish, from: .directed))
        XCTAssertThrowsError(try IncomingDocumentWorkflow.next(after: .withdraw, from: .inProgress))
        XCTAssertThrowsError(try IncomingDocumentWorkflow.next(after: .present, from: .withdrawn))
        XCTAssertThrowsError(try IncomingDocumentWorkflow.next(after: .sendBack, from: .done))
    }

    func test_returnedDocumentCanBePresentedAgainOrWithdrawn() throws {
        let returned = try IncomingDocumentWorkflow.next(after: .sendBack, from: .directed)
        XCTAssertEqual(returned, .returned)
        XCTAssertEqual(IncomingDocumentWorkflow.legalMoves(from: returned), [.present, .withdraw])
    }

    func test_leaderMayRedirectAndUnitHeadMayReassign() throws {
        XCTAssertEqual(try IncomingDocumentWorkflow.next(after: .direct, from: .assigned), .directed)
        XCTAssertEqual(try IncomingDocumentWorkflow.next(after: .assign, from: .inProgress), .assigned)
    }

    func test_outgoingDocumentGoesFromDraftToIssued() throws {
        var state = OutgoingDocumentState.draft
        for move in [OutgoingDocumentMove.submit, .approve, .sign, .issue] {
            state = try OutgoingDocumentWorkflow.next(after: move, from: state)
        }
        XCTAssertEqual(state, .issued)
        XCTAssertThrowsError(try OutgoingDocumentWorkflow.next(after: .issue, from: .issued))
    }

    func test_outgoingDocumentCannotBeIssuedUnsignedOrSignedUnapproved() {
        XCTAssertThrowsError(try OutgoingDocumentWorkflow.next(after: .issue, from: .approved))
        XCTAssertThrowsError(try OutgoingDocumentWorkflow.next(after: .sign, from: .inReview))
        XCTAssertThrowsError(try OutgoingDocumentWorkflow.next(after: .sign, from: .draft))
    }

    func test_returnedDraftIsEditableAndCanBeResubmitted() throws {
        let returned = try OutgoingDocumentWorkflow.next(after: .sendBack, from: .inReview)
        XCTAssertTrue(returned.isEditable)
        XCTAssertEqual(try OutgoingDocumentWorkflow.next(after: .submit, from: returned), .inReview)
        XCTAssertFalse(OutgoingDocumentState.signed.isEditable)
    }

    func test_urgencyOrdersFlashFirst() {
        XCTAssertEqual([Urgency.normal, .flash, .urgent, .veryUrgent].sorted(by: >), [.flash, .veryUrgent, .urgent, .normal])
        XCTAssertFalse(Urgency.normal.isUrgent)
        XCTAssertTrue(Confidentiality.secret.isClassified)
        XCTAssertFalse(Confidentiality.normal.isClassified)
    }

    func test_deadlineStatusCountsWorkingDays() {
        let calendar = WorkingDayCalendar()
        // Friday 2026-03-06; the next working days are Mon 9 and Tue 10.
        let friday = d("2026-03-06")
        XCTAssertEqual(DeadlineStatus.of(dueDate: d("2026-03-05"), today: friday, calendar: calendar), .overdue)
        XCTAssertEqual(DeadlineStatus.of(dueDate: friday, today: friday, calendar: calendar), .dueSoon)
        XCTAssertEqual(DeadlineStatus.of(dueDate: d("2026-03-09"), today: friday, calendar: calendar), .dueSoon)
        XCTAssertEqual(DeadlineStatus.of(dueDate: d("2026-03-10"), today: friday, calendar: calendar), .dueSoon)
        XCTAssertEqual(DeadlineStatus.of(dueDate: d("2026-03-11"), today: friday, calendar: calendar), .onTrack)
    }

    func test_deadlineStatusSkipsTet() {
        // Tết 2026: Mon 16 Feb to Fri 20 Feb are holidays; on Friday 13 Feb a document due
        // Monday 23 Feb is due on the next working day, Tuesday 24 on the second.
        let calendar = WorkingDayCalendar()
        XCTAssertEqual(DeadlineStatus.of(dueDate: d("2026-02-23"), today: d("2026-02-13"), calendar: calendar), .dueSoon)
        XCTAssertEqual(DeadlineStatus.of(dueDate: d("2026-02-24"), today: d("2026-02-13"), calendar: calendar), .dueSoon)
        XCTAssertEqual(DeadlineStatus.of(dueDate: d("2026-02-25"), today: d("2026-02-13"), calendar: calendar), .onTrack)
    }
}

final class IssuerNotationTests: XCTestCase {
    func test_abbreviationDropsThePlaceAndAnd() {
        XCTAssertEqual(IssuerNotation.abbreviate(agencyName: "Ủy ban nhân dân tỉnh Quảng Ninh"), "UBND")
        XCTAssertEqual(IssuerNotation.abbreviate(agencyName: "Sở Thông tin và Truyền thông tỉnh Đồng Tháp"), "STTTT")
        XCTAssertEqual(IssuerNotation.abbreviate(agencyName: "Văn phòng Chính phủ"), "VPCP")
        XCTAssertEqual(IssuerNotation.abbreviate(agencyName: "Bộ Nội vụ"), "BNV")
        XCTAssertEqual(IssuerNotation.abbreviate(agencyName: "Sở Nội vụ tỉnh Quảng Ninh"), "SNV")
        XCTAssertEqual(IssuerNotation.abbreviate(agencyName: "Đài Truyền hình"), "ĐTH")
        XCTAssertEqual(IssuerNotation.abbreviate(agencyName: "  "), "CQ")
    }

    func test_notationOfOfficialLetterNamesTheDraftingUnit() throws {
        XCTAssertEqual(IssuerNotation.notation(type: .decision, issuer: "UBND", draftingUnitCode: "TH"), "QĐ-UBND")
        XCTAssertEqual(IssuerNotation.notation(type: .officialLetter, issuer: "UBND", draftingUnitCode: "TH"), "UBND-TH")
        // The result parses back as a document number.
        let number = try DocumentNumber(number: 5, notation: IssuerNotation.notation(type: .officialLetter, issuer: "UBND", draftingUnitCode: "TH"))
        XCTAssertEqual(number.formatted, "05/UBND-TH")
    }
}

final class DocumentRulesTests: XCTestCase {
    func test_legalNormativeIssueNumbersCarryTheYear() throws {
        XCTAssertEqual(try IssuerNotation.issueNumber(1, year: 2026, type: .circular, issuer: "VPCP", draftingUnitCode: "PC").formatted, "01/2026/TT-VPCP")
        XCTAssertEqual(try IssuerNotation.issueNumber(5, year: 2026, type: .officialLetter, issuer: "UBND", draftingUnitCode: "TH").formatted, "05/UBND-TH")
    }

    func test_secretDocumentsHaveTheirOwnRegisterAndStayOffTheHub() {
        XCTAssertEqual(Confidentiality.normal.outgoingRegister, "outgoing")
        XCTAssertEqual(Confidentiality.topSecret.outgoingRegister, "outgoing-secret")
        XCTAssertTrue(Confidentiality.normal.mayTravelOverHub)
        XCTAssertFalse(Confidentiality.confidential.mayTravelOverHub)
    }

    func test_sameIncomingDocumentHowEverTyped() {
        let date = d("2026-02-25")
        XCTAssertEqual(IncomingDocumentIdentity.key(sender: "Bộ Nội vụ", numberNotation: "125/QĐ-BNV", issuedDate: date),
                       IncomingDocumentIdentity.key(sender: "bộ nội  VỤ", numberNotation: "125 / QĐ-BNV", issuedDate: date))
        XCTAssertNotEqual(IncomingDocumentIdentity.key(sender: "Bộ Nội vụ", numberNotation: "125/QĐ-BNV", issuedDate: date),
                          IncomingDocumentIdentity.key(sender: "Bộ Nội vụ", numberNotation: "125/QĐ-BNV", issuedDate: d("2026-02-26")))
    }

    func test_inboxPutsTheMostUrgentFirstThenTheEarliestDeadlineAndUndatedLast() {
        let t0 = Date(timeIntervalSince1970: 1_780_000_000)
        func item(_ rank: Int, _ deadline: String?, _ seconds: Double, _ id: String) -> InboxPriority {
            InboxPriority(urgencyRank: rank, deadlineKey: InboxPriority.deadlineKey(deadline), registeredAt: t0 + seconds, tieBreak: id)
        }
        let items = [item(0, nil, 0, "a"), item(0, "2026-03-02", 5, "b"), item(2, nil, 9, "c"),
                     item(0, "2026-03-02", 1, "d"), item(0, "2026-03-01", 9, "e"), item(0, "2026-03-02", 1, "c")]
        XCTAssertEqual(items.sorted().map(\.tieBreak), ["c", "e", "c", "d", "b", "a"])
    }
}
