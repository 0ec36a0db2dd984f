import EGovServer
import Foundation

do {
    try await EGovMain.run()
} catch {
    exit(1)
}
