using System.CommandLine;
using System.Globalization;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;

namespace MRISpineSeg.Cli;

/// <summary>Validation of flag values that System.CommandLine cannot check by type alone.</summary>
internal static class CliParse
{
    public static Shape3 Shape(string? text, string flag)
        => Shape3.TryParse(text, out var s)
            ? s
            : throw new CliUsageException($"{flag}: \"{text}\" is not a grid; give X,Y,Z with three positive integers, e.g. 512,512,12");

    public static double[] Triple(string? text, string flag)
    {
        var parts = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        var r = new double[3];
        if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out r[i]) && r[i] > 0 && double.IsFinite(r[i])).All(ok => ok))
            throw new CliUsageException($"{flag}: \"{text}\" is not three positive numbers; give sx,sy,sz in mm, e.g. 0.6,0.6,4.4");
        return r;
    }

    public static int Order(int order)
        => order is 0 or 1 ? order : throw new CliUsageException($"--order: {order} is not supported; use 0 (nearest, for labels) or 1 (linear, for images)");

    /// <summary>Fails early when an output path has no writable volume extension.</summary>
    public static string OutputVolume(string path)
    {
        if (!VolumeIO.IsVolumeFileName(path))
            throw new CliUsageException($"OUT: \"{path}\" has no supported extension; use one of {VolumeIO.SupportedExtensions}");
        return path;
    }

    public static string ExistingFile(string path, string what)
        => File.Exists(path) ? path : throw new CliUsageException($"{what}: \"{path}\" does not exist or is not a file");

    /// <summary>
    /// A <c>--threads</c> flag under the one rule every verb and the worker's <c>ModelThreads</c> share
    /// (<see cref="ThreadCount"/>: 0 means every core); a value that is not a thread count is a usage error naming it.
    /// </summary>
    public static Option<int> ThreadsOption(string description, int defaultValue = 0) => new("--threads")
    {
        Description = $"{description} 0 means every core (default {defaultValue}).",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return defaultValue;
            if (ThreadCount.TryParse(result.Tokens[0].Value, out var n, out var problem)) return n;
            result.AddError($"--threads: {problem}");
            return defaultValue;
        },
    };

    /// <summary><c>--device cpu|cuda</c>.</summary>
    public static Option<string> DeviceOption() => new("--device")
    {
        Description = "cpu or cuda. cuda needs the CUDA build of ONNX Runtime, a driver and a GPU; without them it falls back to cpu with a warning naming what is missing (see --strict-device).",
        DefaultValueFactory = _ => "cpu",
    };

    /// <summary><c>--strict-device</c>: refuse instead of falling back.</summary>
    public static Option<bool> StrictDeviceOption() => new("--strict-device")
    {
        Description = "With --device cuda: stop with an error naming what is missing when CUDA cannot be used, instead of running on cpu.",
    };

    public static ExecutionDevice Device(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "cpu" => ExecutionDevice.Cpu,
        "cuda" => ExecutionDevice.Cuda,
        _ => throw new CliUsageException($"--device: \"{text}\" is not a device; use cpu or cuda"),
    };

    /// <summary><c>--form auto|stored|native3d</c>.</summary>
    public static GraphForm Form(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "auto" => GraphForm.Auto,
        "stored" => GraphForm.Stored,
        "native3d" => GraphForm.Native3D,
        _ => throw new CliUsageException($"--form: \"{text}\" is not a graph form; use auto (the provider's best), stored (the file's per-z-tap CPU form) or native3d (3-D convolutions: fp16 on cuda, fp32 on cpu)"),
    };

    /// <summary><c>--keep-largest [true|false]</c>: present alone means true; absent leaves the model's manifest to decide.</summary>
    public static Option<string?> KeepLargestOption() => ManifestSwitch(
        "--keep-largest",
        "Keep only the largest 3-D connected component (26-connected) of each label.");

    /// <summary><c>--order-levels [true|false]</c>: present alone means true; absent leaves the model's manifest to decide.</summary>
    public static Option<string?> OrderLevelsOption() => ManifestSwitch(
        "--order-levels",
        "Rename the vertebral bodies by their order along the spine, from the bottom up (models of vertebrae without discs).");

    /// <summary>The choice of a <see cref="ManifestSwitch"/> option: null when the flag is absent.</summary>
    public static bool? Switch(ParseResult r, Option<string?> option)
    {
        if (r.GetResult(option) is null) return null;
        return OnOff(r.GetValue(option) ?? "true", option.Name);
    }

    /// <summary>An on/off override of a manifest default: alone or 'true' on, 'false' off, absent the manifest decides.</summary>
    private static Option<string?> ManifestSwitch(string name, string what) => new(name)
    {
        Description = what + " Alone or 'true' turns it on, 'false' off; without the flag the model's manifest decides (see 'spineseg model info').",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "true|false",
    };

    /// <summary>true/false (also on/off, yes/no, 1/0), any case.</summary>
    public static bool OnOff(string text, string flag) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "on" or "yes" or "1" => true,
        "false" or "off" or "no" or "0" => false,
        _ => throw new CliUsageException($"{flag}: \"{text}\" is not true or false"),
    };
}
