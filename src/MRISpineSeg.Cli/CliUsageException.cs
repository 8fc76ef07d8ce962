namespace MRISpineSeg.Cli;

/// <summary>A flag value that parses but makes no sense (e.g. <c>--shape 0,5,5</c>). The message says what would be valid.</summary>
public sealed class CliUsageException(string message) : Exception(message);
