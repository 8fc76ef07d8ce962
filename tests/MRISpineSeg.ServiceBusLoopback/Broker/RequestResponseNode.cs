using System.Collections.Concurrent;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace MRISpineSeg.ServiceBusLoopback.Broker;

/// <summary>
/// An AMQP request/response node (<c>$cbs</c>, <c>queue/$management</c>): the client attaches a sender to the node and a
/// receiver whose target is its reply-to address; each request is answered on that receiver with the correlation id
/// set to the request's message id.
/// </summary>
internal abstract class RequestResponseNode
{
    private readonly ConcurrentDictionary<string, SendingAmqpLink> _replyLinks = new(StringComparer.Ordinal);

    public void Attach(AmqpLink link)
    {
        if (link is ReceivingAmqpLink requests)
        {
            requests.RegisterMessageListener(m => OnRequest(requests, m));
            requests.SetTotalLinkCredit(100, true, true);
            return;
        }

        var replies = (SendingAmqpLink)link;
        var replyTo = ((Target)replies.Settings.Target).Address?.ToString() ?? string.Empty;
        _replyLinks[replyTo] = replies;
        replies.SafeAddClosed((_, _) => _replyLinks.TryRemove(new KeyValuePair<string, SendingAmqpLink>(replyTo, replies)));
    }

    /// <summary>Answers one request; the caller sets the correlation id.</summary>
    protected abstract AmqpMessage Handle(AmqpMessage request);

    protected static string? Operation(AmqpMessage request)
        => request.ApplicationProperties?.Map["operation"]?.ToString();

    private void OnRequest(ReceivingAmqpLink link, AmqpMessage request)
    {
        using (request)
        {
            if (!request.Settled) link.DisposeMessage(request, AmqpConstants.AcceptedOutcome, true, false);
            var replyTo = request.Properties?.ReplyTo?.ToString();
            if (replyTo is null || !_replyLinks.TryGetValue(replyTo, out var replies)) return; // nobody to answer: the client times out, as with Azure
            AmqpMessage response;
            try
            {
                response = Handle(request);
            }
            catch (Exception ex)
            {
                response = Status(500, "Internal Server Error", "com.microsoft:internal-error", ex.Message);
            }

            response.Properties.CorrelationId = request.Properties!.MessageId;
            response.Settled = true;
            replies.SendMessageNoWait(response, AmqpConstants.EmptyBinary, AmqpConstants.NullBinary);
        }
    }

    /// <summary>A response with Service Bus management's status properties (<c>statusCode</c>, <c>statusDescription</c>, <c>errorCondition</c>).</summary>
    protected static AmqpMessage Status(int code, string description, string? errorCondition = null, string? detail = null, object? body = null)
    {
        var m = body is null ? AmqpMessage.Create() : AmqpMessage.Create(new AmqpValue { Value = body });
        m.ApplicationProperties.Map["statusCode"] = code;
        m.ApplicationProperties.Map["statusDescription"] = detail ?? description;
        if (errorCondition is not null) m.ApplicationProperties.Map["errorCondition"] = new Microsoft.Azure.Amqp.Encoding.AmqpSymbol(errorCondition);
        return m;
    }
}
