using Microsoft.Azure.Amqp;

namespace MRISpineSeg.ServiceBusLoopback.Broker;

/// <summary>
/// The claims-based-security node <c>$cbs</c>. The client puts a SAS token here before attaching to an entity; the
/// loopback endpoint accepts any token (it authorises nothing) and answers 202 with CBS's own property names.
/// </summary>
internal sealed class CbsNode : RequestResponseNode
{
    public const string Address = "$cbs";

    private int _tokens;

    /// <summary>put-token requests answered.</summary>
    public int TokensAccepted => Volatile.Read(ref _tokens);

    protected override AmqpMessage Handle(AmqpMessage request)
    {
        var response = AmqpMessage.Create();
        if (Operation(request) == "put-token")
        {
            Interlocked.Increment(ref _tokens);
            response.ApplicationProperties.Map["status-code"] = 202;
            response.ApplicationProperties.Map["status-description"] = "Accepted";
        }
        else
        {
            response.ApplicationProperties.Map["status-code"] = 400;
            response.ApplicationProperties.Map["status-description"] = $"unknown $cbs operation '{Operation(request)}'; only put-token is supported";
        }

        return response;
    }
}
