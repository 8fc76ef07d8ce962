namespace MRISpineSeg.Phantoms;

/// <summary>What a structure is made of; decides its T2 intensity and whether it carries a label.</summary>
internal enum Tissue
{
    /// <summary>Vertebral body: dark cortical rim, intermediate marrow. Labelled 1–10.</summary>
    Bone,

    /// <summary>Intervertebral disc: bright nucleus, darker annulus. Labelled 11–19.</summary>
    Disc,

    /// <summary>Spinal canal: bright CSF (unlabelled).</summary>
    Canal,

    /// <summary>Posterior elements (spinous process, laminae suggested): bone intensity, unlabelled.</summary>
    PosteriorElement,
}
