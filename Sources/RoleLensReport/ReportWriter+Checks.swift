extension ReportWriter {
  /// Checks, before any input is read, that reports can be written into `folder`: creates it
  /// when missing and checks that it and its parent are writable and that it holds no folder of
  /// the user's own (the set replaces the folder as a whole), so that a run over thousands of
  /// files does not fail at its very end. It writes no file there: a probe left by a killed run
  /// would become part of the next set.
  ///
  /// - Throws: `ReportError.cannotWrite` with the system's reason ("Permission denied",
  ///   "Read-only file system", "Not a directory", "not a folder").
  public static func checkWritable(_ folder: String) throws {
    try AtomicFile.prepareFolder(folder)
    try ReportFolder(folder, files: files).check()
  }
}
