// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "EGov",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "egov", targets: ["egov"]),
        .library(name: "EGovCore", targets: ["EGovCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt.git", from: "5.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // The system's zlib (zlib1g-dev): FlateDecode of PDF cross-reference and object streams.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Domain rules: no Vapor, no I/O.
        .target(
            name: "EGovCore",
            dependencies: [
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                // Document signatures: X.509 certificates of signers and the development CA.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "EGovServer",
            dependencies: [
                "EGovCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "JWT", package: "jwt"),
            ]
        ),
        .executableTarget(
            name: "egov",
            dependencies: ["EGovServer"]
        ),
        .testTarget(
            name: "EGovCoreTests",
            dependencies: [
                "EGovCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "EGovServerTests",
            dependencies: [
                "EGovServer",
                // Built for the tests that run the real `egov` command line.
                "egov",
                .product(name: "XCTVapor", package: "vapor"),
            ]
        ),
    ]
)
