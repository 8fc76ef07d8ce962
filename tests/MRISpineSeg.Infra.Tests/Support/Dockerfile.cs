using System.Text;
using System.Text.RegularExpressions;

namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>
/// A small Dockerfile reader, enough to check structure without Docker: joins backslash continuations, drops
/// comments, splits stages at FROM and substitutes the defaults of the global ARGs declared before the first FROM.
/// </summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerfileStage> stages, IReadOnlyDictionary<string, string> globalArgs)
    {
        Stages = stages;
        GlobalArgs = globalArgs;
    }

    public IReadOnlyList<DockerfileStage> Stages { get; }

    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    public DockerfileStage Final => Stages[^1];

    public static Dockerfile Parse(string text)
    {
        var instructions = Instructions(text);
        var globals = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new List<DockerfileStage>();
        List<DockerfileInstruction>? current = null;
        string? image = null, name = null;

        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                if (current is not null)
                {
                    stages.Add(new DockerfileStage(image!, name, current));
                }

                var parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                image = Substitute(parts[0], globals);
                name = parts.Length >= 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
                current = [];
            }
            else if (current is null)
            {
                if (instruction.Keyword == "ARG")
                {
                    var eq = instruction.Arguments.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        globals[instruction.Arguments[..eq].Trim()] = instruction.Arguments[(eq + 1)..].Trim().Trim('"');
                    }
                }
            }
            else
            {
                current.Add(instruction);
            }
        }

        if (current is not null)
        {
            stages.Add(new DockerfileStage(image!, name, current));
        }

        return new Dockerfile(stages, globals);
    }

    public DockerfileStage Stage(string name) => Stages.Single(s => s.Name == name);

    private static List<DockerfileInstruction> Instructions(string text)
    {
        var result = new List<DockerfileInstruction>();
        var buffer = new StringBuilder();
        var start = 0;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (buffer.Length == 0 && (line.TrimStart().StartsWith('#') || line.Length == 0))
            {
                continue;
            }

            if (buffer.Length == 0)
            {
                start = i + 1;
            }
            else if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var continues = line.EndsWith('\\');
            buffer.Append((continues ? line[..^1] : line).Trim()).Append(' ');
            if (!continues)
            {
                var joined = buffer.ToString().Trim();
                var space = joined.IndexOf(' ', StringComparison.Ordinal);
                result.Add(space < 0
                    ? new DockerfileInstruction(joined.ToUpperInvariant(), "", start)
                    : new DockerfileInstruction(joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim(), start));
                buffer.Clear();
            }
        }

        return result;
    }

    private static string Substitute(string value, Dictionary<string, string> args) =>
        ArgReference().Replace(value, m => args.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\$\{?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex ArgReference();
}
