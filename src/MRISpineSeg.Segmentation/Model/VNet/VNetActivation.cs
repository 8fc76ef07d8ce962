namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>The nonlinearity of every block: PaddleSeg's <c>elu=False</c> gives per-channel PReLU, <c>elu=True</c> ELU(alpha 1).</summary>
public enum VNetActivation
{
    /// <summary>PReLU with one learned slope per channel (state_dict key <c>….relu1._weight</c>, shape [C]).</summary>
    PRelu,

    /// <summary>ELU with alpha 1; no parameters.</summary>
    Elu,
}
