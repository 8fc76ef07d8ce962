using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// PaddleSeg's MedicalSeg VNet (<c>medicalseg/models/vnet.py</c>) with a configurable base width.
/// PaddleSeg hard-codes width 16 (channels 16, 32, 64, 128, 256); width w scales every channel count by w/16, and
/// the input (one channel) is tiled w times for the <c>in_tr</c> residual. Dropout is identity at inference and has no
/// parameters. Kernel and stride lists are per level, in (x, y, z) = NIfTI axis order: the down convolution of level i
/// and the transposed convolution that mirrors it share <c>Kernels[i]</c> and <c>Strides[i]</c>; neither is padded.
/// </summary>
public sealed record VNetArchitecture
{
    /// <summary>PaddleSeg's mri_spine_seg kernel list: level 0 reduces 12 slices to 9 with a 4-deep kernel at stride 1.</summary>
    public static readonly int[][] SpineKernels = [[2, 2, 4], [2, 2, 2], [2, 2, 2], [2, 2, 2]];

    /// <summary>PaddleSeg's mri_spine_seg stride list.</summary>
    public static readonly int[][] SpineStrides = [[2, 2, 1], [2, 2, 1], [2, 2, 2], [2, 2, 2]];

    public const float BatchNormEpsilon = 1e-5f;

    public int Width { get; init; } = 16;

    public int NumClasses { get; init; } = 20;

    public VNetActivation Activation { get; init; } = VNetActivation.PRelu;

    public int[][] Kernels { get; init; } = SpineKernels;

    public int[][] Strides { get; init; } = SpineStrides;

    /// <summary>Widest base width accepted (PaddleSeg uses 16).</summary>
    public const int MaxWidth = 256;

    /// <summary>Most classes a model may have: labels are stored as bytes, and 255 keeps every label and the class count in one.</summary>
    public const int MaxClasses = ModelManifest.MaxClasses;

    /// <summary>The spine configuration at the given width, class count and activation.</summary>
    public static VNetArchitecture Spine(int width = 16, int numClasses = 20, VNetActivation activation = VNetActivation.PRelu)
    {
        if (width < 1 || width > MaxWidth)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"VNet width must be between 1 and {MaxWidth} (PaddleSeg uses 16).");
        if (numClasses < 2 || numClasses > MaxClasses)
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, $"Class count must be between 2 and {MaxClasses} (labels are bytes).");
        return new VNetArchitecture { Width = width, NumClasses = numClasses, Activation = activation };
    }

    public IReadOnlyList<DownBlock> DownBlocks =>
    [
        new("down_tr32", Width, 1, Kernels[0], Strides[0]),
        new("down_tr64", 2 * Width, 2, Kernels[1], Strides[1]),
        new("down_tr128", 4 * Width, 3, Kernels[2], Strides[2]),
        new("down_tr256", 8 * Width, 2, Kernels[3], Strides[3]),
    ];

    public IReadOnlyList<UpBlock> UpBlocks =>
    [
        new("up_tr256", 16 * Width, 16 * Width, 2, Kernels[3], Strides[3]),
        new("up_tr128", 16 * Width, 8 * Width, 2, Kernels[2], Strides[2]),
        new("up_tr64", 8 * Width, 4 * Width, 1, Kernels[1], Strides[1]),
        new("up_tr32", 4 * Width, 2 * Width, 1, Kernels[0], Strides[0]),
    ];

    /// <summary>Every state_dict entry in Paddle's registration order, with Paddle's shapes.</summary>
    public IReadOnlyList<ParameterSpec> Parameters()
    {
        var list = new List<ParameterSpec>();
        Conv(list, "in_tr.conv1", 1, Width, [5, 5, 5]);
        Norm(list, "in_tr.bn1", Width);
        Act(list, "in_tr.relu1", Width);
        foreach (var d in DownBlocks)
        {
            Conv(list, d.Name + ".down_conv", d.InChannels, d.OutChannels, d.Kernel);
            Norm(list, d.Name + ".bn1", d.OutChannels);
            Act(list, d.Name + ".relu1", d.OutChannels);
            Act(list, d.Name + ".relu2", d.OutChannels);
            for (var i = 0; i < d.ConvCount; i++) LuConv(list, $"{d.Name}.ops.{i}", d.OutChannels);
        }

        foreach (var u in UpBlocks)
        {
            var name = u.Name + ".up_conv";
            list.Add(new(name + ".weight", [u.InChannels, u.UpChannels, .. u.Kernel], ParameterKind.ConvTransposeWeight));
            list.Add(new(name + ".bias", [u.UpChannels], ParameterKind.Bias));
            Norm(list, u.Name + ".bn1", u.UpChannels);
            Act(list, u.Name + ".relu1", u.UpChannels);
            Act(list, u.Name + ".relu2", u.OutChannels);
            for (var i = 0; i < u.ConvCount; i++) LuConv(list, $"{u.Name}.ops.{i}", u.OutChannels);
        }

        Conv(list, "out_tr.conv1", 2 * Width, NumClasses, [5, 5, 5]);
        Norm(list, "out_tr.bn1", NumClasses);
        Conv(list, "out_tr.conv2", NumClasses, NumClasses, [1, 1, 1]);
        Act(list, "out_tr.relu1", NumClasses);
        return list;
    }

    /// <summary>
    /// The grid at each level, input first (5 entries), or an error message when the grid cannot pass through this
    /// network: a level collapses below one voxel, or a transposed convolution cannot restore its skip's extent.
    /// </summary>
    public bool TryLevelGrids(Shape3 grid, out Shape3[] levels, out string? error)
    {
        levels = new Shape3[5];
        levels[0] = grid;
        error = null;
        Span<int> next = stackalloc int[3];
        for (var i = 0; i < 4; i++)
        {
            for (var a = 0; a < 3; a++)
            {
                var n = levels[i][a];
                var k = Kernels[i][a];
                var s = Strides[i][a];
                if (n < k)
                {
                    error = $"axis {a} has {n} voxels at level {i}, fewer than the kernel ({k})";
                    return false;
                }

                next[a] = ((n - k) / s) + 1;
                if (((next[a] - 1) * s) + k != n)
                {
                    error = $"axis {a} has {n} voxels at level {i}; with kernel {k} and stride {s} the up path would give {((next[a] - 1) * s) + k}, so (n - {k}) must be a multiple of {s}";
                    return false;
                }
            }

            levels[i + 1] = new Shape3(next[0], next[1], next[2]);
        }

        return true;
    }

    private void Act(List<ParameterSpec> list, string name, int channels)
    {
        if (Activation == VNetActivation.PRelu) list.Add(new(name + "._weight", [channels], ParameterKind.PReluSlope));
    }

    private void LuConv(List<ParameterSpec> list, string prefix, int channels)
    {
        // LUConv registers relu1 before conv1 and bn1.
        Act(list, prefix + ".relu1", channels);
        Conv(list, prefix + ".conv1", channels, channels, [5, 5, 5]);
        Norm(list, prefix + ".bn1", channels);
    }

    private static void Conv(List<ParameterSpec> list, string name, int cin, int cout, int[] kernel)
    {
        list.Add(new(name + ".weight", [cout, cin, .. kernel], ParameterKind.ConvWeight));
        list.Add(new(name + ".bias", [cout], ParameterKind.Bias));
    }

    private static void Norm(List<ParameterSpec> list, string name, int channels)
    {
        list.Add(new(name + ".weight", [channels], ParameterKind.BatchNormScale));
        list.Add(new(name + ".bias", [channels], ParameterKind.BatchNormShift));
        list.Add(new(name + "._mean", [channels], ParameterKind.BatchNormMean));
        list.Add(new(name + "._variance", [channels], ParameterKind.BatchNormVariance));
    }
}
