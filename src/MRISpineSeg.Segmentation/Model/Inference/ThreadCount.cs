using System.Globalization;

namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>
/// The one rule for an inference thread count, shared by every CLI <c>--threads</c> flag and the worker's
/// <c>ModelThreads</c> setting: a whole number from 0 (every core, ONNX Runtime's choice) to <see cref="Max"/>;
/// nothing given means 0.
/// </summary>
public static class ThreadCount
{
    public const int Max = 1024;

    /// <summary>What a valid value looks like, for error messages.</summary>
    public const string Valid = "give a whole number from 0 (every core) to 1024";

    public static bool TryParse(string? text, out int threads, out string problem)
    {
        threads = 0;
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= Max)
        {
            threads = n;
            return true;
        }
        problem = $"\"{text}\" is not a thread count; {Valid}";
        return false;
    }
}
