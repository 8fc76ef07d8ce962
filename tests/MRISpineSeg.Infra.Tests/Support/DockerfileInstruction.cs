namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>One Dockerfile instruction with continuation lines joined, e.g. <c>RUN</c> and its argument text.</summary>
public sealed record DockerfileInstruction(string Keyword, string Arguments, int Line);
