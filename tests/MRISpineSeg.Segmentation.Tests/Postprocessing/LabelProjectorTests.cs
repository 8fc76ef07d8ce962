using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Resampling;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Postprocessing;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.Postprocessing;

public sealed class LabelProjectorTests
{
    [Fact]
    public void ToXFastestShouldTransposeRowMajorLabels()
    {
        var grid = new Shape3(3, 4, 2);
        var rowMajor = new byte[grid.Count];
        for (var x = 0; x < 3; x++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var z = 0; z < 2; z++) rowMajor[(((x * 4) + y) * 2) + z] = (byte)((x * 100) + (y * 10) + z);
            }
        }

        var xFastest = LabelProjector.ToXFastest(rowMajor, grid);

        for (var z = 0; z < 2; z++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 3; x++) Assert.Equal((byte)((x * 100) + (y * 10) + z), xFastest[x + (3 * (y + (4 * z)))]);
            }
        }
    }

    [Fact]
    public void ProjectionShouldEqualTheResampleVerbsNearestZoom()
    {
        var grid = new Shape3(24, 20, 12);
        var scanShape = new Shape3(40, 36, 7);
        var rng = new Random(3);
        var rowMajor = new byte[grid.Count];
        rng.NextBytes(rowMajor);

        var projected = LabelProjector.ToScanGrid(rowMajor, grid, scanShape);

        var viaResampler = Resampler.NearestOnto(
            new Volume(grid, new VoxelBuffer<byte>(LabelProjector.ToXFastest(rowMajor, grid)), Imaging.Geometry.VolumeGeometry.FromSpacing(1, 1, 1)),
            scanShape,
            Imaging.Geometry.VolumeGeometry.FromSpacing(1, 1, 1),
            null);
        Assert.Equal(viaResampler.Voxels.As<byte>().Data, projected);
    }

    [Theory]
    [InlineData("scan_psr_qform.nii.gz", "PSR", 1, 0, -1.0)]
    [InlineData("scan_las_sform.nii.gz", "LAS", 0, 2, 1.0)]
    public void MaskShouldCarryTheScansExactShapeAffineAndHeaderThroughAWriteAndReread(string file, string orientation, int qformCode, int sformCode, double qfac)
    {
        var scan = VolumeIO.Read(Golden.Path(file), new VolumeReadOptions { ElementType = VoxelType.Float32 });
        Assert.Equal(orientation, scan.Geometry.Orientation);
        var grid = new Shape3(24, 20, 12);
        var labels = new byte[grid.Count];
        for (var i = 0; i < labels.Length; i++) labels[i] = (byte)(i % 20);

        var mask = LabelProjector.ToMask(labels, grid, scan);

        Assert.Equal(scan.Shape, mask.Shape);
        Assert.Equal(VoxelType.UInt8, mask.VoxelType);
        Assert.Equal(scan.Geometry.Affine, mask.Geometry.Affine);

        var dir = Directory.CreateTempSubdirectory("seg-mask-");
        try
        {
            var path = Path.Combine(dir.FullName, "mask.nii.gz");
            VolumeIO.Write(mask, path);
            var reread = VolumeIO.Read(path);
            var original = VolumeIO.Read(Golden.Path(file));
            Assert.Equal(VoxelType.UInt8, reread.VoxelType);
            Assert.Equal(mask.Voxels.As<byte>().Data, reread.Voxels.As<byte>().Data);
            Assert.Equal(original.Geometry.Affine, reread.Geometry.Affine);
            AssertSameGeometryFields(original.NiftiHeader!, reread.NiftiHeader!);
            Assert.Equal(qformCode, reread.NiftiHeader!.QformCode);
            Assert.Equal(sformCode, reread.NiftiHeader.SformCode);
            Assert.Equal(qfac, reread.NiftiHeader.Pixdim[0]);
            Assert.Equal(NiftiDataType.UInt8, reread.NiftiHeader.DataType);
            Assert.True(reread.Scaling.IsIdentity);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void AssertSameGeometryFields(NiftiHeader a, NiftiHeader b)
        => Assert.True(NiftiGrid.SameGrid(a, b, out var difference), difference);
}
