namespace MRISpineSeg.Pipeline.Status;

/// <summary>Wall-clock milliseconds of one successful attempt, by stage.</summary>
public sealed record JobTimings(double DownloadMs, double SegmentMs, double UploadMs, double TotalMs);
