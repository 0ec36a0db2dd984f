import EGovCore
import Vapor

/// `/portal/lookup`: the form, and the answer on the same page. The form posts, so the phone or
/// identity number never sits in an address (history, bookmarks, a shared link); a GET with
/// the values in its query string still answers, as links made before did.
struct DossierLookupPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("portal", "lookup", use: page)
        routes.post("portal", "lookup", use: page)
    }

    func page(req: Request) async throws -> Response {
        let response = try await answer(req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    private func answer(_ req: Request) async throws -> Response {
        let query = req.method == .POST
            ? DossierLookup.Query(code: try? req.content.get(String.self, at: "code"), contact: try? req.content.get(String.self, at: "contact"))
            : DossierLookup.Query(req)
        let (code, contact) = (FormText.clean(query.code), FormText.clean(query.contact))
        var page = LookupPage(shell: try await req.portalShell("Tra cứu hồ sơ"), code: code, contact: contact, searched: false, result: nil, errors: [:], message: nil)
        guard !code.isEmpty || !contact.isEmpty else { return try await req.render("portal-lookup", page) }
        if code.isEmpty { page.errors["code"] = "Cần nhập mã hồ sơ (in trên giấy tiếp nhận)." }
        if contact.isEmpty { page.errors["contact"] = "Cần nhập số điện thoại hoặc số giấy tờ của người nộp." }
        guard page.errors.isEmpty else { return try await req.render("portal-lookup", page, status: .unprocessableEntity) }
        do {
            try DossierLookup.admit(req)
        } catch let limited as EGovError where limited.status == .tooManyRequests {
            page.message = limited.message
            let response = try await req.render("portal-lookup", page, status: .tooManyRequests)
            response.headers.add(contentsOf: limited.headers)
            return response
        }
        page.searched = true
        do {
            page.result = LookupView(try await DossierLookup.find(code: code, contact: contact, names: req.application.egovServices.directoryNames, direct: req.application.egovServices.sqliteLookupReader, now: req.now, on: req.db))
        } catch let error as EGovError where error.status == .notFound {
            page.message = error.message
            return try await req.render("portal-lookup", page, status: .notFound)
        }
        return try await req.render("portal-lookup", page)
    }
}
