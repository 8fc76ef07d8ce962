using System.Globalization;
using System.Text.RegularExpressions;
using MRISpineSeg.Imaging;

namespace MRISpineSeg.Scoring.Inputs;

/// <summary>
/// Case ids from file names: <c>Case{N}</c> (scans, submissions) or <c>mask_case{N}</c> (ground truth), any letter case,
/// followed by a supported volume extension. The id is the integer N, so <c>Case012</c> and <c>mask_case12</c> match.
/// </summary>
public static partial class CaseNames
{
    /// <summary>The display name of a case in reports: <c>Case{N}</c>.</summary>
    public static string Display(int caseId) => "Case" + caseId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses the case id from a file name (no folder); false for names that are not case masks.</summary>
    public static bool TryParse(string fileName, out int caseId)
    {
        caseId = 0;
        if (!VolumeIO.IsVolumeFileName(fileName)) return false;
        var m = CasePattern().Match(VolumeIO.StripExtension(fileName));
        return m.Success && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out caseId);
    }

    [GeneratedRegex(@"^(?:mask_)?case(\d{1,9})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CasePattern();
}
