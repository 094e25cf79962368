// RoleLensKit is the library product: it runs the pipeline (`Analysis`) and re-exports the
// stages, so `import RoleLensKit` is all another package needs.
@_exported import RoleLensClassify
@_exported import RoleLensIngest
@_exported import RoleLensOverlap
@_exported import RoleLensReport
@_exported import RoleLensText
