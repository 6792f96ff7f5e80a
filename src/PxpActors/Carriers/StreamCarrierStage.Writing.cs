using System.Buffers;
using System.Net.Sockets;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using PxpActors.Transports.WebSocket;
using PxpActors.Buffers;
using PxpActors.Transports;

namespace PxpActors.Carriers;

public sealed partial class StreamCarrierStage
{
    /// <summary>The way out: elements written in the stage, or through the shared frame writer when writers send directly.</summary>
    private sealed partial class Logic
    {
        /// <summary>Writes in the stage; only a write that has to wait (a full socket buffer) finishes through a callback.</summary>
        private void StartWrite()
        {
            var element = Grab(_stage._in);
            _writingBytes = element.Count;
            if (_sender is not null)
            {
                SendGathered(element);
                return;
            }
            // ByteString exposes no Memory to hand to WriteAsync: copy once into a pooled buffer.
            var buffer = ArrayPool<byte>.Shared.Rent(element.Count);
            element.CopyTo(buffer, 0, element.Count);
            _writeDeadline ??= new CancellationTokenSource();
            if (_binding.WriteTimeout != Timeout.InfiniteTimeSpan) _writeDeadline.CancelAfter(_binding.WriteTimeout);
            ValueTask write;
            try
            {
                write = _stream.WriteAsync(buffer.AsMemory(0, element.Count), _writeDeadline.Token);
            }
            catch (Exception e)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                OnWritten(WriteFailure(e));
                return;
            }
            if (!write.IsCompleted)
            {
                _writing = true;
                _ = FinishWriteAsync(write, buffer);
                return;
            }
            ArrayPool<byte>.Shared.Return(buffer);
            OnWritten(write.IsCompletedSuccessfully
                ? null
                : WriteFailure(write.AsTask().Exception?.GetBaseException() ?? new OperationCanceledException()));
        }

        /// <summary>One send of the element's buffers as they are (a frame's header and payload, say), once no other sender is sending.</summary>
        private void SendGathered(ByteString element)
        {
            if (!_sender!.TryEnter())
            {
                _writing = true;
                _ = SendWhenFreeAsync(element);
                return;
            }
            Task send;
            try
            {
                send = StartSend(element);
            }
            catch (Exception e)
            {
                _sender.Exit();
                OnWritten(e);
                return;
            }
            if (send.IsCompletedSuccessfully) // a stream socket's send completes only once all is sent
            {
                _sender.Exit();
                OnWritten(null);
            }
            else
            {
                _writing = true;
                _ = FinishSendAsync(send);
            }
        }

        private async Task FinishSendAsync(Task pending)
        {
            Exception? error = null;
            try
            {
                await pending.WaitAsync(_binding.WriteTimeout, _stop.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                error = WriteFailure(new OperationCanceledException());
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                _sender!.Exit();
            }
            _onCompleted(new WriteResult(error));
        }

        /// <summary>
        /// The element's buffers in one send (on a WebSocket, one message); the caller holds the sender. The list is the
        /// stage's own: only one element is ever being sent, and the socket reads the list until the send completes.
        /// </summary>
        private Task StartSend(ByteString element)
        {
            _sendSegments.Clear();
            ByteStringSegments.AddTo(element, _sendSegments);
            return _socket is not null
                ? _socket.SendAsync(_sendSegments, SocketFlags.None)
                : _sender!.SendHeldAsync(_sendSegments, _stop.Token).AsTask();
        }

        /// <summary>Another sender holds the socket: send off the stage once it is free, then finish as any waiting send.</summary>
        private async Task SendWhenFreeAsync(ByteString element)
        {
            Task send;
            try
            {
                await _sender!.EnterAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _onCompleted(new WriteResult(e));
                return;
            }
            try
            {
                send = StartSend(element);
            }
            catch (Exception e)
            {
                _sender.Exit();
                _onCompleted(new WriteResult(e));
                return;
            }
            await FinishSendAsync(send).ConfigureAwait(false);
        }

        private async Task FinishWriteAsync(ValueTask pending, byte[] buffer)
        {
            Exception? error = null;
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = WriteFailure(e);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _onCompleted(new WriteResult(error));
        }

        private Exception WriteFailure(Exception e) =>
            e is OperationCanceledException && !_stop.IsCancellationRequested
                ? new TimeoutException($"the peer took no data for {_binding.WriteTimeout.TotalSeconds:0.###} s (it is not reading)")
                : e;

        private void OnWritten(Exception? error)
        {
            _writing = false;
            _sender?.CountElementSent();
            if (_writeDeadline is not null && !_writeDeadline.TryReset())
            {
                // It fired just as the write finished: the next write needs a fresh one.
                _writeDeadline.Dispose();
                _writeDeadline = new CancellationTokenSource();
            }
            if (error is not null)
            {
                FailStage(new IOException($"Transport write failed: {error.Message}", error));
                return;
            }
            _binding.Traffic.Sent(_writingBytes);
            if (IsClosed(_stage._in)) FinishWrites();
            else Pull(_stage._in);
        }
    }
}
