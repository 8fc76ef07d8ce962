namespace MRISpineSeg.Segmentation;

/// <summary>
/// A progress report from <see cref="Segmenter"/>: a stage (<c>read</c>, <c>preprocess</c>, <c>infer</c>,
/// <c>postprocess</c>, <c>write</c>) started (<see cref="Completed"/> false, <see cref="Elapsed"/> zero) or finished
/// (<see cref="Completed"/> true, <see cref="Elapsed"/> its wall-clock time).
/// </summary>
public readonly record struct StageProgress(string Stage, bool Completed, TimeSpan Elapsed);
