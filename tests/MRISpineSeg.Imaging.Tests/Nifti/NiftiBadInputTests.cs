using System.Buffers.Binary;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Tests.Support;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Imaging.Tests.Nifti;

/// <summary>Every damaged input gives a <see cref="VolumeFormatException"/> that names the field, never a crash, hang or huge allocation.</summary>
public sealed class NiftiBadInputTests
{
    private static VolumeFormatException Fails(byte[] bytes, VolumeReadOptions? options = null)
        => Assert.Throws<VolumeFormatException>(() => SampleVolumes.Read(bytes, options));

    private static byte[] Valid() => SampleVolumes.NiftiBytes(SampleVolumes.Int16());

    [Fact]
    public void EmptyFileShouldBeRefused()
    {
        var ex = Fails([]);
        Assert.Equal(VolumeErrorReason.EmptyFile, ex.Reason);
        Assert.Contains("sample.nii", ex.Message);
    }

    [Fact]
    public void RandomBytesShouldBeRefusedAsNotNifti()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x00; // not gzip
        var ex = Fails(bytes);
        Assert.Equal(VolumeErrorReason.UnknownFormat, ex.Reason);
        Assert.Contains("sizeof_hdr", ex.Message);
    }

    [Fact]
    public void TruncatedHeaderShouldBeRefused()
    {
        var ex = Fails(Valid()[..200]);
        Assert.Equal(VolumeErrorReason.TruncatedHeader, ex.Reason);
        Assert.Contains("348", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedDataShouldBeRefused(bool gzip)
    {
        var bytes = Valid()[..^10];
        var ex = Fails(gzip ? SampleVolumes.Gzip(bytes) : bytes);
        Assert.Equal(VolumeErrorReason.TruncatedData, ex.Reason);
        Assert.Contains("voxel data", ex.Message);
    }

    [Fact]
    public void CorruptGzipShouldBeRefused()
    {
        var gz = SampleVolumes.Gzip(Valid());
        for (var i = 20; i < gz.Length - 8; i += 3) gz[i] ^= 0x5A;
        var ex = Fails(gz);
        Assert.True(ex.Reason is VolumeErrorReason.CorruptCompression or VolumeErrorReason.TruncatedHeader or VolumeErrorReason.InvalidHeader or VolumeErrorReason.UnknownFormat, ex.Reason.ToString());
    }

    [Fact]
    public void GzipThatInflatesFarBeyondTheHeaderShouldBeRefusedWithoutInflatingIt()
    {
        // 64 MiB of zeros after a valid volume: compresses to ~64 KiB. The reader must stop after one extra byte.
        var valid = Valid();
        using var ms = new MemoryStream();
        using (var z = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(valid);
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++) z.Write(zeros);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = Fails(ms.ToArray());
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(VolumeErrorReason.TrailingData, ex.Reason);
        Assert.True(allocated < 16 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void UnknownDatatypeShouldBeRefusedWithTheSupportedList()
    {
        var bytes = Valid();
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(70), 1792); // complex128
        var ex = Fails(bytes);
        Assert.Equal(VolumeErrorReason.UnsupportedDataType, ex.Reason);
        Assert.Contains("complex128", ex.Message);
        Assert.Contains("16 float32", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(-3)]
    [InlineData(0x0900)]
    public void Dim0OutsideOneToSevenInBothByteOrdersShouldBeRefused(short dim0)
    {
        var bytes = Valid();
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), dim0);
        var ex = Fails(bytes);
        Assert.Equal(VolumeErrorReason.InvalidHeader, ex.Reason);
        Assert.Contains("dim[0]", ex.Message);
        Assert.Contains("1..7", ex.Message);
    }

    [Fact]
    public void DimsBeyondTheMemoryLimitShouldBeRefusedBeforeAllocating()
    {
        var bytes = Valid();
        for (var i = 1; i <= 3; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40 + (2 * i)), 30000);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = Fails(bytes);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 4 << 20);
        Assert.Equal(VolumeErrorReason.TooLarge, ex.Reason);
        Assert.Contains("limit", ex.Message);
    }

    [Fact]
    public void MemoryLimitShouldBeConfigurable()
    {
        var ex = Fails(Valid(), new VolumeReadOptions { MaxVoxelBytes = 100 });
        Assert.Equal(VolumeErrorReason.TooLarge, ex.Reason);
        Assert.NotNull(SampleVolumes.Read(Valid(), new VolumeReadOptions { MaxVoxelBytes = 1000 }));
    }

    [Fact]
    public void FourDimensionalSeriesShouldBeRefusedClearly()
    {
        var bytes = Valid();
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), 4);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(48), 5);
        var ex = Fails(bytes);
        Assert.Equal(VolumeErrorReason.UnsupportedDimensions, ex.Reason);
        Assert.Contains("t = 5", ex.Message);
    }

    [Fact]
    public void FourDimensionalFileWithOneTimePointShouldBeAccepted()
    {
        var bytes = Valid();
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(40), 4);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(48), 1);
        Assert.Equal(new Shape3(6, 5, 4), SampleVolumes.Read(bytes).Shape);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(0f)]
    public void NonFiniteOrZeroSlopeShouldMeanNoScalingAsInNibabel(float slope)
    {
        var bytes = Valid();
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), slope);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(116), 100f);
        var v = SampleVolumes.Read(bytes, new VolumeReadOptions { ElementType = VoxelType.Float32 });
        Assert.Equal(SampleVolumes.Int16().Voxels.As<short>().Data[7], v.Voxels.As<float>().Data[7]);
    }

    [Fact]
    public void ValidSlopeWithNonFiniteInterceptShouldBeRefused()
    {
        var bytes = Valid();
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(112), 2f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(116), float.NaN);
        Assert.Equal(VolumeErrorReason.InvalidScaling, Fails(bytes).Reason);
    }

    [Fact]
    public void BadMagicShouldBeRefused()
    {
        var bytes = Valid();
        bytes[344] = (byte)'x';
        var ex = Fails(bytes);
        Assert.Contains("magic", ex.Message);
    }

    [Fact]
    public void NegativeExtentShouldBeRefused()
    {
        var bytes = Valid();
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(44), -5);
        var ex = Fails(bytes);
        Assert.Equal(VolumeErrorReason.InvalidHeader, ex.Reason);
        Assert.Contains("dim[2]", ex.Message);
    }

    [Fact]
    public void FractionalValuesShouldNotBeSilentlyRoundedIntoLabels()
    {
        var floats = new float[] { 0, 1, 2.5f, 3, 0, 0, 0, 0 };
        var v = new Volume(new Shape3(2, 2, 2), new VoxelBuffer<float>(floats), Geometry.VolumeGeometry.FromSpacing(1, 1, 1));
        var ex = Assert.Throws<VolumeFormatException>(() => SampleVolumes.Read(SampleVolumes.NiftiBytes(v), new VolumeReadOptions { ElementType = VoxelType.UInt8 }));
        Assert.Equal(VolumeErrorReason.ValueNotRepresentable, ex.Reason);
        Assert.Contains("voxel 2 holds 2.5", ex.Message);
    }

    [Fact]
    public void BigEndianFileShouldBeReadLikeItsLittleEndianTwin()
    {
        var v = SampleVolumes.Read(Valid());
        var be = ToBigEndian(Valid());
        var w = SampleVolumes.Read(be);
        Assert.True(w.NiftiHeader!.WasBigEndian);
        Assert.Equal(v.Voxels.AsBytes().ToArray(), w.Voxels.AsBytes().ToArray());
        Assert.Equal(v.Geometry.Affine, w.Geometry.Affine);
    }

    /// <summary>Swaps every numeric field of a NIfTI-1 int16 file (header layout, then voxels).</summary>
    private static byte[] ToBigEndian(byte[] le)
    {
        var b = (byte[])le.Clone();
        void S(int o, int n) => b.AsSpan(o, n).Reverse();
        S(0, 4);
        S(32, 4);
        S(36, 2);
        for (var i = 0; i < 8; i++) S(40 + (2 * i), 2);
        for (var o = 56; o < 68; o += 4) S(o, 4);
        for (var o = 68; o < 76; o += 2) S(o, 2);
        for (var o = 76; o < 120; o += 4) S(o, 4);
        S(120, 2);
        for (var o = 124; o < 148; o += 4) S(o, 4);
        S(252, 2);
        S(254, 2);
        for (var o = 256; o < 328; o += 4) S(o, 4);
        for (var o = 352; o < b.Length; o += 2) S(o, 2);
        return b;
    }
}
