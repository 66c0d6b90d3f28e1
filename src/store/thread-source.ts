/**
 * What thread-source-read.lua reads of a cluster for the thread step: exists,
 * ver, members with their join times, the stored story (flat field/value),
 * and each member's tokens, kind and contains. Raw, as Buffers: the story
 * profile is binary. thread-source.lua returns it, and so does the dedup
 * commit (lsh-commit.lua) for the cluster it placed the article in.
 */
export type ThreadSourceReply = [Buffer, Buffer, Buffer[], Buffer[], Buffer[]];
