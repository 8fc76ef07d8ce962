using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Nifti;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Phantoms;

/// <summary>
/// Synthetic sagittal T2 lumbar-spine scans with exact labels, in the MRSpineSeg conventions: float32 image, uint8
/// mask (docs/design.md §2 labels, counted up from the sacrum), sagittal slices on NIfTI axis 2, PSR orientation, qform only
/// with qfac −1. The same seed always gives the same voxels.
/// </summary>
public static class PhantomGenerator
{
    /// <summary>One phantom: the scan and its ground-truth mask on the same grid.</summary>
    public sealed record Phantom(int Seed, Volume Image, Volume Mask);

    public static Phantom Generate(int seed, PhantomOptions? options = null)
    {
        options ??= new PhantomOptions();
        options.Validate();
        var shape = options.Shape;
        var anatomy = SpineAnatomy.Create(seed, shape.X * options.Spacing[0], shape.Y * options.Spacing[1]);
        var (image, labels) = PhantomRenderer.Render(anatomy, options, seed);
        var (geometry, header) = PsrGrid(shape, options.Spacing, seed);
        var scan = new Volume(shape, new VoxelBuffer<float>(image), geometry, Scaling.Identity, header);
        return new Phantom(seed, scan, scan.CreateMask(labels));
    }

    /// <summary>Writes <c>Case{seed}.nii.gz</c> and <c>mask_case{seed}.nii.gz</c> into <paramref name="directory"/>.</summary>
    public static (string Scan, string Mask) WriteCase(Phantom phantom, string directory, int? caseNumber = null)
    {
        Directory.CreateDirectory(directory);
        var number = caseNumber ?? phantom.Seed;
        var scan = Path.Combine(directory, $"Case{number}.nii.gz");
        var mask = Path.Combine(directory, $"mask_case{number}.nii.gz");
        VolumeIO.Write(phantom.Image, scan);
        VolumeIO.Write(phantom.Mask, mask);
        return (scan, mask);
    }

    /// <summary>
    /// PSR: axis 0 runs posterior, axis 1 superior, axis 2 right; centred on the world origin. Stored as a qform
    /// (code 1, scanner) with qfac −1 and no sform, as the challenge files are.
    /// </summary>
    private static (VolumeGeometry Geometry, NiftiHeader Header) PsrGrid(Shape3 shape, double[] spacing, int seed)
    {
        double sx = spacing[0], sy = spacing[1], sz = spacing[2];
        var affine = Affine.FromRows(
            0, 0, sz, -sz * (shape.Z - 1) / 2.0,
            -sx, 0, 0, sx * (shape.X - 1) / 2.0,
            0, sy, 0, -sy * (shape.Y - 1) / 2.0);
        var geometry = new VolumeGeometry(affine, sx, sy, sz);
        var header = NiftiGeometry.CreateHeader(shape, VoxelType.Float32, geometry, Scaling.Identity) with
        {
            SformCode = 0,
            SrowX = [0, 0, 0, 0],
            SrowY = [0, 0, 0, 0],
            SrowZ = [0, 0, 0, 0],
            Descrip = $"MRISpineSeg phantom seed {seed}",
        };
        return (NiftiGeometry.ToGeometry(header), header);
    }
}
