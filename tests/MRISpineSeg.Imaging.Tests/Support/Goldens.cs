using System.Text.Json;

namespace MRISpineSeg.Imaging.Tests.Support;

/// <summary>Access to the committed nibabel/scipy goldens (made by Goldens/make_goldens.py).</summary>
internal static class Goldens
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Goldens");

    public static string PathOf(string file) => Path.Combine(Dir, file);

    public static JsonElement Json(string caseName)
        => JsonDocument.Parse(File.ReadAllText(PathOf(caseName + ".json"))).RootElement;

    public static float[] Floats(string file)
    {
        var bytes = File.ReadAllBytes(PathOf(file));
        var r = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, r, 0, bytes.Length);
        return r;
    }
}
