namespace MRISpineSeg.Scoring.Inputs;

/// <summary>
/// One mask of a submission. <see cref="Name"/> is how the user knows it (the path inside the folder or zip) and is what
/// errors quote; <see cref="Path"/> is where it can be read on this machine (inside a temporary folder for a zip).
/// </summary>
public sealed record MaskFile(int CaseId, string Name, string Path);
