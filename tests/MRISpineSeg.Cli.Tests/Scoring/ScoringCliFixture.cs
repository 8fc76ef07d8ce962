using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Cli.Tests.Scoring;

/// <summary>A temp folder with a truth and a prediction set of real NIfTI masks, and a way to run the CLI in-process.</summary>
internal sealed class ScoringCliFixture : IDisposable
{
    public static readonly Shape3 Shape = new(12, 10, 3);

    public ScoringCliFixture(int cases = 3)
    {
        Root = Directory.CreateTempSubdirectory("spineseg-cli-score-").FullName;
        Truth = Directory.CreateDirectory(Path.Combine(Root, "truth")).FullName;
        Pred = Directory.CreateDirectory(Path.Combine(Root, "pred")).FullName;
        for (var i = 1; i <= cases; i++)
        {
            var t = Labels(i, 0);
            Write(Path.Combine(Truth, $"mask_case{i}.nii.gz"), t);
            Write(Path.Combine(Pred, $"Case{i}.nii.gz"), Labels(i, 1));
        }
    }

    public string Root { get; }

    public string Truth { get; }

    public string Pred { get; }

    public string File(string name) => Path.Combine(Root, name);

    public static void Write(string path, byte[] labels, VolumeGeometry? geometry = null)
        => VolumeIO.Write(new Volume(Shape, new VoxelBuffer<byte>(labels), geometry ?? VolumeGeometry.FromSpacing(0.6, 0.6, 4.4)), path);

    /// <summary>Structures 1, 2, 11 as bands; <paramref name="shift"/> moves them along x so predictions are imperfect.</summary>
    public static byte[] Labels(int seed, int shift)
    {
        var m = new byte[Shape.Count];
        for (var z = 0; z < Shape.Z; z++)
        {
            for (var y = 0; y < Shape.Y; y++)
            {
                for (var x = 0; x < Shape.X; x++)
                {
                    var xs = x - shift;
                    m[Shape.Index(x, y, z)] = y < 3 && xs is >= 2 and < 8 ? (byte)1 : y is >= 4 and < 6 && xs >= 1 + (seed % 2) ? (byte)11 : y >= 7 && xs < 9 ? (byte)2 : (byte)0;
                }
            }
        }

        return m;
    }

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = SpinesegApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
