using BenchmarkDotNet.Running;

// Every benchmark class answers one question; pick with --filter, e.g. --filter '*SearchThroughput*'.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
