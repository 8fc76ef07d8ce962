using BenchmarkDotNet.Running;

// Entry point for every BenchmarkDotNet suite in this assembly; pick suites with --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
