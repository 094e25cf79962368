// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "rolelens",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "RoleLensKit", targets: ["RoleLensKit"]),
    .executable(name: "rolelens", targets: ["rolelens"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // libxml2 as a system library; pkg-config finds the headers (without it they are not found).
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
    ),

    // zlib, for .gz inputs.
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

    // The C library's allocator controls (glibc's malloc_trim and mallopt).
    .systemLibrary(name: "CMalloc"),

    // renameat2(2) (RENAME_EXCHANGE swaps a new report folder in), which glibc hides from Swift.
    .systemLibrary(name: "CRename"),

    // MARK: - Pipeline stages, in dependency order

    // Low-level storage and hashing shared by the stages: packed strings, block tables, FNV-1a.
    .target(name: "RoleLensStorage"),
    .target(name: "RoleLensIngest", dependencies: ["RoleLensStorage", "CLibXML2", "CZlib"]),
    .target(name: "RoleLensText", dependencies: ["RoleLensStorage"]),
    .target(
      name: "RoleLensClassify",
      dependencies: ["RoleLensStorage", "RoleLensIngest", "RoleLensText", .product(name: "Yams", package: "Yams")],
      resources: [.copy("Resources/default-lexicon.yaml")]
    ),
    .target(name: "RoleLensOverlap", dependencies: ["RoleLensStorage", "RoleLensClassify"]),
    .target(
      name: "RoleLensReport",
      dependencies: ["RoleLensStorage", "RoleLensOverlap", "RoleLensClassify", "RoleLensIngest", "CRename"]),
    .target(
      name: "RoleLensKit",
      dependencies: [
        "RoleLensStorage", "RoleLensIngest", "RoleLensText", "RoleLensClassify", "RoleLensOverlap", "RoleLensReport",
        "CMalloc", "CZlib",
      ]
    ),

    // MARK: - Executable

    .executableTarget(
      name: "rolelens",
      dependencies: ["RoleLensKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),

    // MARK: - Tests

    .target(name: "_RoleLensTestSupport", path: "Tests/_RoleLensTestSupport"),
    // Fixtures are read from the source tree (TestSupport.fixture), not bundled.
    .testTarget(
      name: "RoleLensIngestTests", dependencies: ["RoleLensIngest", "CLibXML2", "CZlib", "_RoleLensTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "RoleLensTextTests", dependencies: ["RoleLensText", "RoleLensStorage", "_RoleLensTestSupport"]),
    .testTarget(
      name: "RoleLensClassifyTests", dependencies: ["RoleLensClassify", "_RoleLensTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "RoleLensOverlapTests", dependencies: ["RoleLensOverlap", "_RoleLensTestSupport"]),
    .testTarget(
      name: "RoleLensReportTests", dependencies: ["RoleLensReport", "_RoleLensTestSupport"]),
    // The end-to-end tests run the built `rolelens`: depending on it rebuilds it first, so a
    // stale binary is never the one tested.
    .testTarget(
      name: "RoleLensCLITests", dependencies: ["RoleLensKit", "CZlib", "_RoleLensTestSupport", "rolelens"]),
  ]
)
