import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/rpc/preload-bridge';
import { contract } from '../shared/contract';
import { createPreloadBridge } from './bridge';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createPreloadBridge(ipcRenderer, contract));
