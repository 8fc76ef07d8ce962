using System.Text.RegularExpressions;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// One line of Bicep CLI output in its default format: <c>path(line,col) : Warning BCP036: message</c>.
/// Wrong property names and types are only warnings (BCP036, BCP089), which is why every warning fails the check.
/// </summary>
public sealed partial record BicepDiagnostic(string File, int Line, int Column, string Level, string Code, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}) : {Level} {Code}: {Message}";

    /// <summary>Every diagnostic line in <paramref name="output"/>; other lines are ignored.</summary>
    public static IReadOnlyList<BicepDiagnostic> ParseAll(string output)
    {
        var found = new List<BicepDiagnostic>();
        foreach (var line in output.Split('\n'))
        {
            var match = DiagnosticLine().Match(line.TrimEnd('\r'));
            if (match.Success)
            {
                found.Add(new BicepDiagnostic(
                    match.Groups["file"].Value,
                    int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(match.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture),
                    match.Groups["level"].Value,
                    match.Groups["code"].Value,
                    match.Groups["message"].Value));
            }
        }

        return found;
    }

    [GeneratedRegex(@"^(?<file>.+)\((?<line>\d+),(?<col>\d+)\) : (?<level>Error|Warning|Info) (?<code>[^:]+): (?<message>.*)$")]
    private static partial Regex DiagnosticLine();
}
