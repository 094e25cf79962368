// swift-tools-version: 6.1
// Micro-benchmarks of rolelens's pipeline stages, kept in a nested package so that the benchmark
// tooling stays out of the product and out of `swift test` at the root.
// Run from this folder: `swift package benchmark`.
import PackageDescription

let package = Package(
  name: "rolelens-benchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    // The root package, by path, under its manifest name (a path dependency's identity would
    // otherwise be the name of the folder it was cloned into).
    .package(name: "rolelens", path: ".."),
    // ordo-one/benchmark (formerly package-benchmark). Naming the traits replaces the default
    // set ["MallocInterposer", "RuntimeInterposer"]: the malloc interposer (a Swift package, no
    // system library) gives the malloc metrics; the Swift 6.3 ARC runtime interposer is left
    // out, so its package is not needed and retain/release counts are not measured.
    .package(
      url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "RoleLensBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "RoleLensKit", package: "rolelens"),
      ],
      path: "Benchmarks/RoleLensBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ]
)
