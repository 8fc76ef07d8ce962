namespace MRISpineSeg.Segmentation.Tests.Model;

/// <summary>Locates committed goldens (next to this source file in the repository) and makes scratch directories.</summary>
internal static class TestFiles
{
    public static string Golden(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MRISpineSeg.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("Repository root (MRISpineSeg.sln) not found above " + AppContext.BaseDirectory);
        return Path.Combine(dir.FullName, "tests", "MRISpineSeg.Segmentation.Tests", "Model", "Golden", name);
    }

    public static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var f = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, f, 0, bytes.Length);
        return f;
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "spineseg-model-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }
}
