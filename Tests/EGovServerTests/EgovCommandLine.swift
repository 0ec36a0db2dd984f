import Foundation
import XCTest
@testable import EGovServer

extension EGovTestCase {
    struct CommandRun { let status: Int32; let output: String }

    /// The `egov` executable built beside the test bundle; the test is skipped without it.
    func egovBinary() throws -> URL {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("egov")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("egov binary not built next to the test bundle (\(binary.path))")
        }
        return binary
    }

    /// Runs the real `egov` binary against this test's data folder and database, and waits for it.
    func egov(_ arguments: [String]) throws -> CommandRun {
        let process = Process()
        process.executableURL = try egovBinary()
        process.arguments = arguments + ["--log", "error"]
        var environment = ProcessInfo.processInfo.environment
        environment["EGOV_DATA_DIR"] = dataDir
        environment["DATABASE_URL"] = app.settings.databaseURL // the test's own copy on PostgreSQL
        if app.settings.databaseURL == nil { environment.removeValue(forKey: "DATABASE_URL") }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
