import Fluent

extension QueryBuilder where Model: AgencyScoped {
    /// Rows of the actor's own agency only, a system admin's too: an agency's documents, files
    /// and dossiers are its own, where `scoped(to:)` lets a system admin administer every agency.
    func owned(by actor: Actor) -> Self {
        filter(Model.agencyIDKey, .equal, actor.agencyID)
    }
}
