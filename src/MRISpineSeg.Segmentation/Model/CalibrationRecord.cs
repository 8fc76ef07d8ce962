namespace MRISpineSeg.Segmentation.Model;

/// <summary>
/// The scans an int8 model's activation ranges came from: how many, and a SHA-256 (hex) over their names and contents
/// in name order, so two quantized files can be told apart by their calibration without the scans themselves.
/// </summary>
public sealed record CalibrationRecord(int ScanCount, string Sha256);
