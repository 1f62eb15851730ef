/**
 * EventStoreDB adapter: filtered $all reads. The 6.x client's readAll() sends no filter (it
 * always sets `no_filter`), though the server has answered filtered $all reads since 21.10;
 * without them every filtered readAll would stream the whole log to us. This builds the request
 * the client would, through the client's own channel, credentials and event conversion.
 */
import { BACKWARDS, Direction as EsdbDirection, END, EVENT_TYPE, EventStoreDBClient, Filter, ReadPosition, ResolvedEvent, START } from '@eventstore/db-client';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';

/**
 * Type-level access to the client's protected gRPC plumbing (never instantiated). The 6.x client's
 * readAll() sends no filter (it always sets `no_filter`), though the server has answered filtered
 * $all reads since 21.10; without them every filtered readAll would stream the whole log to us.
 */
abstract class ClientPlumbing extends EventStoreDBClient {
  static of(client: EventStoreDBClient) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the cast is what grants protected access
    const plumbing = client as ClientPlumbing;
    const { GRPCStreamCreator: createStream, callArguments } = plumbing;
    if (typeof createStream !== 'function' || typeof callArguments !== 'function') {
      throw new Error(
        'This @eventstore/db-client version no longer exposes GRPCStreamCreator / callArguments; ' + 'EsdbEventStore needs them for filtered $all reads',
      );
    }
    return { createStream, callArguments };
  }
}

/**
 * Client.readAll() plus a server-side filter: the same ReadReq the client builds for readAll, with
 * the filter options it builds for subscribeToAll, through the client's own channel, credentials
 * and event conversion.
 */
export function filteredReadAll(
  client: EventStoreDBClient,
  options: { fromPosition: ReadPosition; direction: EsdbDirection; maxCount: number; filter: Filter },
): ReadStream<ResolvedEvent> {
  const { createStream, callArguments } = ClientPlumbing.of(client);
  const { fromPosition, direction, maxCount, filter } = options;

  const all = new ReadReq.Options.AllOptions();
  if (fromPosition === START) {
    all.setStart(new Empty());
  } else if (fromPosition === END) {
    all.setEnd(new Empty());
  } else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(fromPosition.commit.toString(10));
    position.setPreparePosition(fromPosition.prepare.toString(10));
    all.setPosition(position);
  }

  const expression = new ReadReq.Options.FilterOptions.Expression();
  if ('regex' in filter) expression.setRegex(filter.regex);
  else expression.setPrefixList(filter.prefixes);
  const filterOptions = new ReadReq.Options.FilterOptions();
  if (filter.filterOn === EVENT_TYPE) filterOptions.setEventType(expression);
  else filterOptions.setStreamIdentifier(expression);
  if (filter.maxSearchWindow) filterOptions.setMax(filter.maxSearchWindow);
  else filterOptions.setCount(new Empty());
  filterOptions.setCheckpointintervalmultiplier(filter.checkpointInterval);

  const uuidOption = new ReadReq.Options.UUIDOption();
  uuidOption.setString(new Empty());

  const readOptions = new ReadReq.Options();
  readOptions.setAll(all);
  readOptions.setResolveLinks(false);
  readOptions.setCount(String(maxCount));
  readOptions.setUuidOption(uuidOption);
  readOptions.setFilter(filterOptions);
  readOptions.setReadDirection(direction === BACKWARDS ? ReadReq.Options.ReadDirection.BACKWARDS : ReadReq.Options.ReadDirection.FORWARDS);
  const request = new ReadReq();
  request.setOptions(readOptions);

  const grpcStream = createStream(StreamsClient, 'readAll', (streams) => streams.read(request, ...callArguments({}, { deadline: Infinity })));
  return new ReadStream<ResolvedEvent>(grpcStream, convertGrpcEvent, {});
}
