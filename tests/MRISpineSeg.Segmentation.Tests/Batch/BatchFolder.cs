using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Tests.Batch;

/// <summary>A temporary input folder of small real NIfTI scans, and an output folder beside it.</summary>
internal sealed class BatchFolder : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("seg-batch-");

    public BatchFolder()
    {
        In = Directory.CreateDirectory(System.IO.Path.Combine(_root.FullName, "in")).FullName;
        Out = System.IO.Path.Combine(_root.FullName, "out");
    }

    public string In { get; }

    public string Out { get; }

    public string Root => _root.FullName;

    /// <summary>A 30×28×6 int16 scan (PSR, 0.6×0.6×4.4 mm) whose intensities depend on <paramref name="seed"/>.</summary>
    public string Scan(string name, int seed = 1)
    {
        var shape = new Shape3(30, 28, 6);
        var data = new short[shape.Count];
        for (var i = 0; i < data.Length; i++) data[i] = (short)(((i * 37) + (seed * 101)) % 1900);
        var path = System.IO.Path.Combine(In, name);
        VolumeIO.Write(new Volume(shape, new VoxelBuffer<short>(data), VolumeGeometry.FromSpacing(0.6, 0.6, 4.4)), path);
        return path;
    }

    public string File(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(In, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public string[] LeftoverTemporaryFiles()
        => Directory.EnumerateFiles(Root, "*.tmp-*", SearchOption.AllDirectories).ToArray();

    public void Dispose() => _root.Delete(recursive: true);
}
