public enum EGovCoreVersion { public static let value = "0.1.0" }
