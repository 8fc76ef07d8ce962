using System.Security.Cryptography;
using System.Text;
using MRISpineSeg.Imaging;

namespace MRISpineSeg.Segmentation.Model.Quantization;

/// <summary>
/// The scans of a calibration folder: every volume file at its top level (<see cref="VolumeIO.SupportedExtensions"/>)
/// whose name does not start with <c>mask_</c>, in ordinal name order, and the checksum a manifest records of them.
/// </summary>
internal static class CalibrationScans
{
    /// <summary>The scans; InvalidRequest naming the folder when it is missing or holds none.</summary>
    public static IReadOnlyList<string> List(string folder)
    {
        if (!Directory.Exists(folder))
            throw new SegmentationException(SegmentationErrorReason.InvalidRequest, $"--calibration: \"{folder}\" is not a folder; give a folder of scans ({VolumeIO.SupportedExtensions})");
        var scans = Directory.EnumerateFiles(folder)
            .Where(f => VolumeIO.IsVolumeFileName(Path.GetFileName(f)) && !Path.GetFileName(f).StartsWith("mask_", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (scans.Count == 0)
            throw new SegmentationException(SegmentationErrorReason.InvalidRequest, $"--calibration: \"{folder}\" holds no scans ({VolumeIO.SupportedExtensions}, names not starting mask_); give the scans the int8 ranges are to be measured on");
        return scans;
    }

    /// <summary>SHA-256 (hex) over each scan's file name and the SHA-256 of its bytes, in list order.</summary>
    public static string Checksum(IReadOnlyList<string> scans)
    {
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var scan in scans)
        {
            all.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(scan) + "\n"));
            using var stream = File.OpenRead(scan);
            all.AppendData(SHA256.HashData(stream));
        }

        return Convert.ToHexStringLower(all.GetHashAndReset());
    }
}
