namespace MRISpineSeg.Segmentation.Tests.Goldens;

/// <summary>Paths of the committed goldens (regenerate with <c>/usr/bin/python3 Goldens/make_goldens.py</c>).</summary>
internal static class Golden
{
    public static string PsrQformScan => Path("scan_psr_qform.nii.gz");

    public static string LasSformScan => Path("scan_las_sform.nii.gz");

    public static string PreprocessedPsr => Path("preprocessed_24x20x12.f32");

    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Goldens", name);

    public static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var result = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }
}
