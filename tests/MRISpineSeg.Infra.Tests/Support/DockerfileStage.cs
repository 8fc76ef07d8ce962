namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>A build stage: its base image (ARG defaults substituted), optional name, and instructions.</summary>
public sealed record DockerfileStage(string BaseImage, string? Name, IReadOnlyList<DockerfileInstruction> Instructions)
{
    public IEnumerable<DockerfileInstruction> Of(string keyword) =>
        Instructions.Where(i => i.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));
}
